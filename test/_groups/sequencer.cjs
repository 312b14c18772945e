// Starts the files of a grouped run in the order groups.cjs gives, longest first, whatever jest recorded.
const path = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;
const { TEST_ROOT, groupedRun } = require('./groups.cjs');

const ORDER = groupedRun();

module.exports = class GroupedRunSequencer extends Sequencer {
  sort(tests) {
    const rank = (test) => {
      const index = ORDER.indexOf(path.relative(TEST_ROOT, test.path).split(path.sep).join('/'));
      return index === -1 ? ORDER.length : index;
    };
    return [...super.sort(tests)].sort((a, b) => rank(a) - rank(b));
  }
};
