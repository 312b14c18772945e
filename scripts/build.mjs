// Compiles the berth CLI into dist/ so `npx berth` starts without transpiling TypeScript on each run.
// ESM with code splitting: each command is its own chunk, loaded only when that command runs.
// `--outdir <dir>` builds elsewhere (the tests inspect a build without touching dist/).
import { build } from 'esbuild';

const outdirFlag = process.argv.indexOf('--outdir');

await build({
  entryPoints: ['scripts/berth.ts'],
  outdir: outdirFlag >= 0 ? process.argv[outdirFlag + 1] : 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // the AWS SDK and ajv are CommonJS; a require shim lets their bundled code load in an ES module.
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
  minify: false,
  sourcemap: 'linked',
  logLevel: 'warning',
});
