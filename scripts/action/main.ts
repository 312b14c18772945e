import * as path from 'node:path';
import { runDeployPreAction } from './deploy-pre';

// the entry of action.yml, bundled into action/deploy-pre.mjs (npm run build:action). GitHub runs it as
// `node <checkout of berth>/action/deploy-pre.mjs`, so the checkout's root is one directory up.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const controller = new AbortController();
// a cancelled job gets SIGINT: stop following, the deployment goes on (as with Ctrl-C).
process.once('SIGINT', () => controller.abort());
const actionRoot = path.resolve(path.dirname(process.argv[1] ?? '.'), '..');
runDeployPreAction(
  { streams: { stdout: process.stdout, stderr: process.stderr }, env: process.env, stdin: process.stdin, signal: controller.signal },
  actionRoot,
).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`berth deploy: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
