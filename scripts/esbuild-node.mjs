// What both bundles of berth share (the CLI in dist/, the GitHub Action in action/): an ES module for Node.js.
export const nodeModuleBundle = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  // the AWS SDK and ajv are CommonJS; a require shim lets their bundled code load in an ES module.
  banner: {
    js: "import { createRequire as __berthCreateRequire } from 'node:module'; const require = __berthCreateRequire(import.meta.url);",
  },
  logLevel: 'warning',
};

/**
 * The value after a flag on the command line (`--outdir <dir>`), or the fallback.
 * @param {string} flag the flag
 * @param {string} fallback its default
 */
export function flagValue(flag, fallback) {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
