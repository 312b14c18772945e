// Bundles the GitHub Action (action.yml) into one file, action/deploy-pre.mjs, which is committed: GitHub runs
// it with its own Node.js, without npm ci. Only what `berth deploy pre` needs, minified, no code splitting.
// Run it after changing the CLI (npm run build:action); a test fails while the committed file is stale.
// `--outfile <file>` writes elsewhere (that test rebuilds and compares).
import { build } from 'esbuild';
import { flagValue, nodeModuleBundle } from './esbuild-node.mjs';

await build({
  ...nodeModuleBundle,
  entryPoints: ['scripts/action/main.ts'],
  outfile: flagValue('--outfile', 'action/deploy-pre.mjs'),
  splitting: false,
  // action.yml runs it with `using: node24`.
  target: 'node24',
  minify: true,
  // the licences of the bundled packages, in one comment at the end.
  legalComments: 'eof',
});
