import { declareGroup } from '../_helpers/each-file';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.config.js reads the same CommonJS module
const { TEST_ROOT, filesOf } = require('./groups.cjs') as { TEST_ROOT: string; filesOf(name: string): string[] };

/**
 * Runs a group's test files in this jest file: each inside a `describe` named after it, so its top-level hooks stay
 * its own, and all on this file's modules (test/_groups/groups.cjs says why).
 * @param name the group's name in groups.cjs
 */
export function runGroup(name: string): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a test file, loaded as jest loads one
  declareGroup(TEST_ROOT, filesOf(name), (file) => require(file));
}
