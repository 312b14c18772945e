import { main } from './main';

// berth pins its SDK versions, so the SDK's notice about future Node.js support is noise in every
// command's output during an incident; an operator who wants it can set the variable to false.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// the process entry: wires the real process into main() and turns Ctrl-C into an abort signal that a
// command following a deployment answers by stopping to watch (the deployment itself goes on).
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
main({
  argv: process.argv.slice(2),
  streams: { stdout: process.stdout, stderr: process.stderr },
  env: process.env,
  stdin: process.stdin,
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`berth: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
