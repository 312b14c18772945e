import { main } from './main';

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
