// The jest config of both ways to run the suite (groups.cjs says why there are two).
const path = require('node:path');
const { groupedRun } = require('./groups.cjs');

/**
 * Whether jest's command line picks test files itself: a path or pattern, or an option that selects files by what
 * changed. Parsed with jest's own option table, so `-t name` or `--outputFile x` is not taken for a path.
 * @param {string[]} argv jest's arguments
 */
function namesTests(argv) {
  // jest's own command-line package and its parser, found where jest installed them (neither is a dependency of ours).
  const jestCli = require.resolve('jest-cli', { paths: [path.dirname(require.resolve('jest/package.json'))] });
  const { yargsOptions } = require(jestCli);
  const yargs = require(require.resolve('yargs/yargs', { paths: [path.dirname(jestCli)] }));
  const args = yargs(argv).options(yargsOptions).help(false).version(false).parseSync();
  const selecting = ['testPathPattern', 'findRelatedTests', 'onlyChanged', 'changedSince', 'lastCommit', 'watch', 'watchAll'];
  return (
    args._.length > 0 || selecting.some((option) => args[option] !== undefined && args[option] !== false && String(args[option]) !== '')
  );
}

/**
 * The jest config for a command line.
 * @param {string[]} argv jest's arguments
 */
function jestConfig(argv) {
  const grouped = !namesTests(argv);
  return {
    testEnvironment: 'node',
    // two workers on the 2-core machines: jest's default (cores - 1) runs the suite on one core.
    maxWorkers: 2,
    roots: ['<rootDir>/test'],
    // the whole suite runs in groups; named files, each on its own (groups.cjs).
    testMatch: grouped ? groupedRun().map((file) => `**/test/${file}`) : ['**/*.test.ts'],
    testPathIgnorePatterns: grouped ? ['/node_modules/'] : ['/node_modules/', '/test/_groups/'],
    // a fresh clone has no record of how long each file took: start the longest first, or one would start last.
    ...(grouped ? { testSequencer: '<rootDir>/test/_groups/sequencer.cjs' } : {}),
    // esbuild strips each file's types on its own (see the transform); `npm run lint` type-checks.
    transform: { '^.+\\.ts$': '<rootDir>/test/_helpers/esbuild-transform.cjs' },
    // no setupFilesAfterEnv: test/_helpers/mock-aws.ts installs the aws-sdk-client-mock matchers for the files that
    // mock AWS; loading them into every file (the infra tests have no use for them) cost each file its load.
    snapshotFormat: { escapeString: false, printBasicPrototype: false },
  };
}

module.exports = { namesTests, jestConfig };
