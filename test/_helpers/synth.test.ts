import { Annotations } from 'aws-cdk-lib';
import { exampleRawConfig, synthBerth, WORKER_CACHE } from './synth';

describe('the worker cache of synthesized templates', () => {
  test('is one map for every test file of the worker, however many copies of the helper are loaded', () => {
    // GIVEN: another test file's copy of this helper (jest gives each file its own modules)
    let other: typeof WORKER_CACHE | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a second, isolated copy of the module
      other = (require('./synth') as { WORKER_CACHE: typeof WORKER_CACHE }).WORKER_CACHE;
    });

    // WHEN
    synthBerth();

    // THEN: the other file sees what this one synthesized
    expect(other).toBe(WORKER_CACHE);
    expect(other!.has(JSON.stringify(exampleRawConfig()))).toBe(true);
  });

  test("records no construct's creation stack and no annotation's stack trace", () => {
    // WHEN: an app with a warning on one of its constructs
    const { app, stacks } = synthBerth();
    Annotations.of(stacks.shared).addWarningV2('berth:test', 'a warning');

    // THEN
    const traced = app.node
      .findAll()
      .flatMap((construct) => construct.node.metadata.map((entry) => ({ path: construct.node.path, ...entry })))
      .filter((entry) => entry.type === 'aws:cdk:creationStack' || entry.type === 'aws:cdk:warning')
      .filter((entry) => (entry.type === 'aws:cdk:creationStack' ? entry.data : entry.trace)?.length)
      .map((entry) => `${entry.type} at ${entry.path}`);
    expect(traced).toEqual([]);
  });
});
