import * as path from 'node:path';

/**
 * What a helper module does for each test file that loads it, in both ways the suite runs (test/_groups/groups.cjs).
 *
 * Run on its own, a test file loads its helpers fresh, and a hook a helper registers as it loads sits at the file's
 * top level. In a group the files share one registry: a helper loads once, inside the `describe` of the first file
 * that imports it, so a hook registered there would reach that file's tests only, and the later files would start
 * with what the earlier ones left in the helper. A helper therefore registers its per-test check and its per-file
 * reset here, and the group runs them for each of its files.
 */
const state: {
  grouped: boolean;
  file: string | undefined;
  readonly checks: (() => void)[];
  readonly resets: (() => void)[];
} = { grouped: false, file: undefined, checks: [], resets: [] };

/**
 * Runs a check after every test of every file that loads the calling helper; a check fails the test by throwing.
 * @param check the check
 */
export function afterEveryTest(check: () => void): void {
  if (state.grouped) state.checks.push(check);
  else afterEach(check);
}

/**
 * Runs a reset before each later file of a group, so every file starts as it would on its own.
 * @param reset puts the helper's state back as loading it leaves it
 */
export function atEveryFileStart(reset: () => void): void {
  state.resets.push(reset);
}

/** The test file running now: in a group, the grouped file, not the group's. */
export function currentTestFile(): string {
  return state.file ?? expect.getState().testPath ?? '';
}

/**
 * Declares a group's files, each in a `describe` named after it, on this jest file's modules.
 * @param root the folder the files are named relative to
 * @param files the files, relative to `root`: each `describe` is named so
 * @param load loads a file by its path (jest's require)
 */
export function declareGroup(root: string, files: readonly string[], load: (file: string) => void): void {
  state.grouped = true;
  // outermost, so it runs after each file's own afterEach hooks, as a helper's top-level hook does in a file's own run.
  afterEach(() => {
    for (const check of state.checks) check();
  });
  for (const file of files) {
    const where = path.join(root, file);
    describe(file, () => {
      beforeAll(() => {
        state.file = where;
        for (const reset of state.resets) reset();
      });
      afterAll(() => {
        // the spies a file left would reach the next files; its own run ends with its modules.
        jest.restoreAllMocks();
        state.file = undefined;
      });
      load(where);
    });
  }
}
