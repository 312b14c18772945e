// Starts the files of a grouped run in the order of the estimates in groups.cjs, longest first. Jest's own order
// (by the durations it recorded, else by file size) changes from run to run with the machine's load and, on a
// fresh clone, orders a group by its two-line file.
const Sequencer = require('@jest/test-sequencer').default;
const { ESTIMATED_SECONDS, underTest } = require('./groups.cjs');

module.exports = class GroupedRunSequencer extends Sequencer {
  sort(tests) {
    const estimate = (test) => ESTIMATED_SECONDS[underTest(test.path)] ?? 0;
    return [...tests].sort((a, b) => estimate(b) - estimate(a));
  }
};
