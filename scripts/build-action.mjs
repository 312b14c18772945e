// Bundles the GitHub Action (action.yml) into one file, action/deploy-pre.mjs, which is committed: GitHub runs
// it with its own Node.js, without npm ci. Only what `berth deploy pre` needs, minified, no code splitting.
// Run it after changing the CLI (npm run build:action); a test fails while the committed file is stale.
// `--outfile <file>` writes elsewhere (that test rebuilds and compares).
import { build } from 'esbuild';

const outfileFlag = process.argv.indexOf('--outfile');

await build({
  entryPoints: ['scripts/action/main.ts'],
  outfile: outfileFlag >= 0 ? process.argv[outfileFlag + 1] : 'action/deploy-pre.mjs',
  bundle: true,
  splitting: false,
  format: 'esm',
  platform: 'node',
  // action.yml runs it with `using: node24`.
  target: 'node24',
  // the AWS SDK is CommonJS; a require shim lets its bundled code load in an ES module.
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
  minify: true,
  // the licences of the bundled packages, in one comment at the end.
  legalComments: 'eof',
  logLevel: 'warning',
});
