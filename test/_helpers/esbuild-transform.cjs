// Jest's TypeScript transform: esbuild strips the types of each file on its own, in about a millisecond, where
// ts-jest took seconds of a cold run on 2 cores. Type checking is `npm run lint`'s (tsc --noEmit), as it was with
// ts-jest's isolatedModules. No test uses jest.mock, so nothing needs hoisting above the imports.
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { transformSync, version } = require('esbuild');

// Jest caches what a transform returned; the key names this file's own text, so a change here is never served stale.
const SELF = readFileSync(__filename, 'utf8');

module.exports = {
  getCacheKey(source, filename) {
    return createHash('sha256').update(SELF).update(version).update(filename).update(source).digest('hex');
  },
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: 'ts',
      format: 'cjs',
      target: 'node20',
      sourcefile: filename,
      sourcemap: 'external',
      sourcesContent: false,
      // the command list loads each command with import(); jest runs CommonJS, so as require(), as ts-jest did.
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
};
