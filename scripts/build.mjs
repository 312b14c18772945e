// Compiles the berth CLI into dist/ so `npx berth` starts without transpiling TypeScript on each run.
// ESM with code splitting: each command is its own chunk, loaded only when that command runs.
// `--outdir <dir>` builds elsewhere (the tests inspect a build without touching dist/).
import { build } from 'esbuild';
import { flagValue, nodeModuleBundle } from './esbuild-node.mjs';

await build({
  ...nodeModuleBundle,
  entryPoints: ['scripts/berth.ts'],
  outdir: flagValue('--outdir', 'dist'),
  splitting: true,
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  minify: false,
  sourcemap: 'linked',
});
