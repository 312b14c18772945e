import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createLogsCommand } from '../../../scripts/commands/logs';
import { EXIT } from '../../../scripts/core/errors';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const logs = createLogsCommand({ pollIntervalMs: 1, now: () => NOW, maxEvents: 100 });
const event = (id: string, at: string, message: string) => ({
  eventId: id,
  timestamp: Date.parse(at),
  logStreamName: 'app/app/0123456789abcdef',
  message: `${message}\n`,
});

beforeEach(() => resetAwsMocks());

describe('berth logs', () => {
  test('prints the last 15 minutes of the app log group, across pages, oldest first', async () => {
    // GIVEN
    givenManifest('live');
    aws.logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event('2', '2026-11-23T11:50:00Z', 'second')], nextToken: 'page-2' })
      .resolvesOnce({ events: [event('1', '2026-11-23T11:46:00Z', 'first')] });

    // WHEN
    const { code, out } = await runCommand(logs, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.logs).toHaveReceivedNthCommandWith(1, FilterLogEventsCommand, {
      logGroupName: '/berth/berth/live/app',
      startTime: NOW - 15 * 60 * 1000,
    });
    expect(aws.logs).toHaveReceivedNthCommandWith(2, FilterLogEventsCommand, { nextToken: 'page-2' });
    expect(out).toBe('2026-11-23T11:46:00.000Z  0123456789abcdef  first\n2026-11-23T11:50:00.000Z  0123456789abcdef  second\n');
  });

  test('--since and --filter narrow the query, --json prints one document', async () => {
    // GIVEN
    givenManifest('pre');
    aws.logs.on(FilterLogEventsCommand).resolves({ events: [event('1', '2026-11-23T11:00:00Z', 'ERROR boom')] });

    // WHEN
    const { code, out } = await runCommand(logs, ['pre', '--since', '2h', '--filter', 'ERROR', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.logs).toHaveReceivedCommandWith(FilterLogEventsCommand, {
      logGroupName: '/berth/berth/pre/app',
      startTime: NOW - 2 * 3600 * 1000,
      filterPattern: 'ERROR',
    });
    expect(JSON.parse(out)).toEqual({
      logGroupName: '/berth/berth/pre/app',
      events: [{ timestamp: '2026-11-23T11:00:00.000Z', task: '0123456789abcdef', message: 'ERROR boom' }],
    });
  });

  test('--follow prints each new event once until Ctrl-C, then exits 130', async () => {
    // GIVEN
    givenManifest('live');
    const controller = new AbortController();
    let polls = 0;
    aws.logs.on(FilterLogEventsCommand).callsFake(() => {
      polls += 1;
      if (polls === 1) return { events: [event('a', '2026-11-23T11:59:00Z', 'one')] };
      if (polls === 2) return { events: [event('a', '2026-11-23T11:59:00Z', 'one'), event('b', '2026-11-23T11:59:00Z', 'two')] };
      if (polls === 3) return { events: [event('b', '2026-11-23T11:59:00Z', 'two'), event('c', '2026-11-23T12:00:01Z', 'three')] };
      controller.abort();
      return { events: [] };
    });

    // WHEN
    const { code, out } = await runCommand(logs, ['live', '--follow'], { signal: controller.signal });

    // THEN
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(
      out
        .split('\n')
        .filter((l) => l)
        .map((l) => l.split('  ')[2]),
    ).toEqual(['one', 'two', 'three']);
    expect(aws.logs).toHaveReceivedNthCommandWith(3, FilterLogEventsCommand, { startTime: Date.parse('2026-11-23T11:59:00Z') });
    expect(aws.logs).toHaveReceivedNthCommandWith(4, FilterLogEventsCommand, { startTime: Date.parse('2026-11-23T12:00:01Z') });
  });

  test('a read that hits the event limit says how to narrow it', async () => {
    // GIVEN
    givenManifest('live');
    const few = createLogsCommand({ pollIntervalMs: 1, now: () => NOW, maxEvents: 2 });
    aws.logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [event('1', '2026-11-23T11:46:00Z', 'a'), event('2', '2026-11-23T11:47:00Z', 'b')], nextToken: 'more' })
      .resolves({ events: [event('3', '2026-11-23T11:48:00Z', 'c')] });

    // WHEN
    const { code, out, err } = await runCommand(few, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out.trim().split('\n')).toHaveLength(2);
    expect(aws.logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 1);
    expect(err).toContain('stopped after the first 2 events since 15m ago; narrow with a shorter --since or a --filter');
  });

  test('no events says so and suggests a longer --since', async () => {
    // GIVEN
    givenManifest('live');
    aws.logs.on(FilterLogEventsCommand).resolves({ events: [] });

    // WHEN
    const { code, out, err } = await runCommand(logs, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toBe('');
    expect(err).toContain('no events in /berth/berth/live/app in the last 15m; try a longer --since');
  });

  test('a malformed --since is a usage error before any AWS call', async () => {
    // WHEN
    const { code, err } = await runCommand(logs, ['live', '--since', 'yesterday']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('--since "yesterday" is not a duration');
    expect(aws.ssm.calls()).toHaveLength(0);
  });

  test('a missing log group is a refusal that says to redeploy', async () => {
    // GIVEN
    givenManifest('live');
    aws.logs
      .on(FilterLogEventsCommand)
      .rejects(Object.assign(new Error('The specified log group does not exist.'), { name: 'ResourceNotFoundException' }));

    // WHEN
    const { code, err } = await runCommand(logs, ['live']);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe(
      'berth logs: log group /berth/berth/live/app from the manifest does not exist; redeploy the stack with cdk deploy',
    );
  });
});
