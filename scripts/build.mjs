// Compiles the berth CLI into dist/ so `npx berth` starts without transpiling TypeScript on each run.
// ESM with code splitting: each command is its own chunk, loaded only when that command runs.
// `--outdir <dir>` builds elsewhere (the tests inspect a build without touching dist/).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { flagValue, nodeModuleBundle } from './esbuild-node.mjs';

const PACKAGE_JSON = resolve('package.json');

// `berth --version` imports berth's package.json: the bundle, and its source map, get its version only, not
// the rest of the file (the dependency lists name test tools the CLI must not ship).
const versionOnly = {
  name: 'berth-version-only',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]package\.json$/ }, async (args) => {
      if (resolve(args.path) !== PACKAGE_JSON) return undefined;
      const { version } = JSON.parse(await readFile(args.path, 'utf8'));
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

await build({
  ...nodeModuleBundle,
  entryPoints: ['scripts/berth.ts'],
  outdir: flagValue('--outdir', 'dist'),
  splitting: true,
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  minify: false,
  sourcemap: 'linked',
  plugins: [versionOnly],
});
