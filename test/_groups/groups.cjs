// How `npm test` runs the suite: the test files in a few groups, each group one jest test file.
//
// Jest gives every test file its own module registry, so each file loads aws-cdk-lib (or the AWS SDK, sinon and the
// CLI) again, and runs it cold: under a second per file, which over a hundred files was a third of the suite's CPU
// on the 2-core machines. A group requires its files inside one `describe` each, so they share one registry: each
// module loads once per group, and a `beforeEach`/`afterEach` at a file's top level stays that file's (jest applies
// a hook declared in a describe block to that block's tests only: "Scoping" in its setup-and-teardown guide). What a
// file does at its top level outside a hook still reaches the files after it in its group, so a grouped file sets no
// jest option there (`jest.setTimeout`: give the test its own timeout instead), and keeps no snapshot (a group would
// write it under its own name); test/_helpers/groups.test.ts checks both. Every file also runs on its own modules
// when it is named (`npx jest test/infra/config.test.ts`, or `npx jest test` for all of them), so a test that passes
// only after another one shows up there.
//
// A file is in the first group whose folder holds it; the last group takes the rest, so a new test file is always
// run. STANDALONE files keep their own registry.
const fs = require('node:fs');
const path = require('node:path');

const TEST_ROOT = path.join(__dirname, '..');

/**
 * Test files that are not grouped, relative to test/: the compliance synths and the built CLI are long and gain
 * nothing from sharing, the app entry's tests wait on child processes, and the snapshots belong to their file.
 */
const STANDALONE = ['infra/compliance-features.test.ts', 'scripts/built-cli.test.ts', 'infra/app.test.ts', 'infra/snapshot.test.ts'];

/**
 * The groups; `under` is a folder relative to test/. One group for infra/ (rather than a second for its constructs)
 * loads aws-cdk-lib and synthesizes the configs its files share once, which saves about 2 s of the run's CPU.
 */
const GROUPS = [
  { name: 'infra', under: 'infra/' },
  { name: 'scripts-commands', under: 'scripts/commands/' },
  { name: 'rest', under: '' },
];

/**
 * Roughly how long each file of a grouped run takes on a 2-core machine, in seconds (measured): the run starts the
 * longest first, so that the two workers end together. No file is much longer than the others, or it would decide
 * the run's length alone.
 */
const ESTIMATED_SECONDS = {
  '_groups/infra.test.ts': 29,
  'infra/compliance-features.test.ts': 27,
  '_groups/scripts-commands.test.ts': 20,
  '_groups/rest.test.ts': 13,
  'scripts/built-cli.test.ts': 11,
  'infra/app.test.ts': 7,
  'infra/snapshot.test.ts': 1,
};

/**
 * A path as groups.cjs names files: relative to test/, with `/` between folders.
 * @param {string} file a path, absolute or relative to test/
 */
function underTest(file) {
  return path.relative(TEST_ROOT, path.resolve(TEST_ROOT, file)).split(path.sep).join('/');
}

/** Every test file under test/, relative to it and sorted, except the groups' own files. */
function testFiles() {
  return fs
    .readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' })
    .map(underTest)
    .filter((name) => name.endsWith('.test.ts') && !name.startsWith('_groups/'))
    .sort();
}

/**
 * The group a test file is in, or undefined for a standalone one.
 * @param {string} file relative to test/
 */
function groupOf(file) {
  if (STANDALONE.includes(file)) return undefined;
  return GROUPS.find((group) => file.startsWith(group.under));
}

/**
 * The test files of a group, relative to test/.
 * @param {string} name the group's name
 */
function filesOf(name) {
  if (!GROUPS.some((group) => group.name === name)) throw new Error(`no test group ${name}: ${GROUPS.map((g) => g.name).join(', ')}`);
  return testFiles().filter((file) => groupOf(file)?.name === name);
}

/** The jest test files of a grouped run, relative to test/, longest first. */
function groupedRun() {
  const files = [...STANDALONE, ...GROUPS.map((group) => `_groups/${group.name}.test.ts`)];
  return files.sort((a, b) => (ESTIMATED_SECONDS[b] ?? 0) - (ESTIMATED_SECONDS[a] ?? 0));
}

module.exports = { TEST_ROOT, STANDALONE, GROUPS, ESTIMATED_SECONDS, underTest, testFiles, groupOf, filesOf, groupedRun };
