import { parseConfig } from '../../infra/config';
import { summary } from '../../infra/berth-app';
import { problemsAfter } from '../_helpers/config';
import { exampleRawConfig } from '../_helpers/synth';

/** Auto-scaling as the README shows it for live, which the example's live (t4g.medium, 2 tasks each) holds with 8 instances. */
const LIVE_SCALING = { minTasks: 2, maxTasks: 8, targets: { cpuPercent: 60, requestsPerTaskPerMinute: 1200 } };
const liveWith = (autoScaling: Record<string, unknown>, more: Record<string, unknown> = {}) => ({
  'environments.live.maxCapacity': 8,
  'environments.live.autoScaling': autoScaling,
  ...more,
});

describe('environments.<env>.autoScaling', () => {
  test('is off unless the section is there, and gets its defaults when it is', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const live = (raw.environments as Record<string, Record<string, unknown>>).live;
    live.maxCapacity = 8;
    live.autoScaling = {
      ...LIVE_SCALING,
      scheduledMinimums: { 'business-hours': { minTasks: 4, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *' } },
    };

    // WHEN
    const config = parseConfig(raw);

    // THEN
    expect(config.environments.pre.autoScaling).toBeUndefined();
    expect(config.environments.live.autoScaling).toEqual({
      ...LIVE_SCALING,
      scaleOutCooldownSeconds: 60,
      scaleInCooldownSeconds: 300,
      scheduledMinimums: { 'business-hours': { minTasks: 4, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *', timeZone: 'UTC' } },
    });
  });

  test('the README example is valid', () => {
    expect(
      problemsAfter(
        liveWith({
          ...LIVE_SCALING,
          scheduledMinimums: {
            'business-hours': { minTasks: 4, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *', timeZone: 'Europe/Berlin' },
          },
        }),
      ),
    ).toEqual([]);
  });

  test('the release room check counts maxTasks, not the starting count: twice 8 tasks need 8 instances of 2', () => {
    // WHEN: the example's maxCapacity 4 holds the 2 x 2 of a fixed count, not the 2 x 8 of a scaled-out release.
    const problems = problemsAfter({ 'environments.live.autoScaling': LIVE_SCALING });

    // THEN
    expect(problems).toEqual([
      'environments.live.maxCapacity: 4 t4g.medium instances hold 8 tasks (2 per instance: 2 network interfaces for tasks); a release needs room for 16 (2 x autoScaling.maxTasks 8); allowed: maxCapacity 8 or more, a larger instance type, an instance type ECS trunks (with eniTrunking), or autoScaling.maxTasks 4 or fewer',
    ]);
  });

  test('the new VPC’s subnets must hold the tasks of a release at maxTasks', () => {
    // GIVEN a /24 over two zones: /26 subnets, 59 addresses each; a release at 60 tasks per environment does not fit.
    const edits = {
      'vpc.cidr': '10.0.0.0/24',
      'environments.live.instanceType': 'm7g.4xlarge',
      'environments.live.maxCapacity': 5,
      'environments.live.container': { cpu: 256, memoryMiB: 512 },
      'environments.live.eniTrunking': true,
    };

    // THEN
    expect(problemsAfter({ ...edits, 'environments.live.desiredTaskCount': 2 })).toEqual([]);
    expect(
      problemsAfter({
        ...edits,
        'environments.live.autoScaling': { minTasks: 2, maxTasks: 60, targets: { cpuPercent: 60 } },
      }),
    ).toEqual([expect.stringMatching(/^vpc\.cidr: 10\.0\.0\.0\/24 over 2 zones gives \/26 subnets .* private subnet of each zone needs/)]);
  });

  test.each([
    [
      'minTasks above maxTasks',
      liveWith({ ...LIVE_SCALING, minTasks: 9 }),
      'environments.live.autoScaling.minTasks: 9 is greater than maxTasks 8; allowed: minTasks <= maxTasks',
    ],
    [
      'a starting count below minTasks',
      liveWith({ ...LIVE_SCALING, minTasks: 3 }),
      'environments.live.desiredTaskCount: 2 is outside autoScaling.minTasks..maxTasks (3..8); allowed: a starting count from 3 to 8',
    ],
    [
      'a starting count above maxTasks',
      liveWith({ ...LIVE_SCALING, maxTasks: 2 }, { 'environments.live.desiredTaskCount': 3 }),
      'environments.live.desiredTaskCount: 3 is outside autoScaling.minTasks..maxTasks (2..2); allowed: a starting count from 2 to 2',
    ],
    [
      'no target',
      liveWith({ ...LIVE_SCALING, targets: {} }),
      'environments.live.autoScaling.targets: no target is set; allowed: at least one of cpuPercent, memoryPercent, requestsPerTaskPerMinute',
    ],
    [
      'no targets section',
      liveWith({ minTasks: 2, maxTasks: 8 }),
      'environments.live.autoScaling.targets: missing; allowed: an object with one or more of cpuPercent, memoryPercent, requestsPerTaskPerMinute',
    ],
    [
      'a CPU target outside 10..95',
      liveWith({ ...LIVE_SCALING, targets: { cpuPercent: 100 } }),
      'environments.live.autoScaling.targets.cpuPercent: 100 is not valid; allowed: a whole number from 10 to 95',
    ],
    [
      'a window with more tasks than maxTasks',
      liveWith({ ...LIVE_SCALING, scheduledMinimums: { peak: { minTasks: 12, start: '0 8 ? * * *', end: '0 9 ? * * *' } } }),
      'environments.live.autoScaling.scheduledMinimums.peak.minTasks: 12 is greater than autoScaling.maxTasks 8; allowed: at most 8',
    ],
    [
      'a cron expression with both days',
      liveWith({ ...LIVE_SCALING, scheduledMinimums: { peak: { minTasks: 4, start: '0 8 * * MON-FRI *', end: '0 9 ? * * *' } } }),
      'environments.live.autoScaling.scheduledMinimums.peak.start: "0 8 * * MON-FRI *" must have ? in exactly one of day-of-month and day-of-week; allowed: six cron fields, minutes hours day-of-month month day-of-week year, with ? in one of the days, such as 0 8 ? * MON-FRI *',
    ],
    [
      'a cron expression of five fields',
      liveWith({ ...LIVE_SCALING, scheduledMinimums: { peak: { minTasks: 4, start: '0 8 ? * *', end: '0 9 ? * * *' } } }),
      'environments.live.autoScaling.scheduledMinimums.peak.start: "0 8 ? * *" has 5 fields; a cron expression has 6: minutes hours day-of-month month day-of-week year; allowed: six cron fields, minutes hours day-of-month month day-of-week year, with ? in one of the days, such as 0 8 ? * MON-FRI *',
    ],
    [
      'a cron expression in cron( )',
      liveWith({ ...LIVE_SCALING, scheduledMinimums: { peak: { minTasks: 4, start: '0 8 ? * * *', end: 'cron(0 9 ? * * *)' } } }),
      'environments.live.autoScaling.scheduledMinimums.peak.end: "cron(0 9 ? * * *)" has the cron( ) around it; give only the six fields; allowed: six cron fields, minutes hours day-of-month month day-of-week year, with ? in one of the days, such as 0 8 ? * MON-FRI *',
    ],
    [
      'an unknown time zone',
      liveWith({
        ...LIVE_SCALING,
        scheduledMinimums: { peak: { minTasks: 4, start: '0 8 ? * * *', end: '0 9 ? * * *', timeZone: 'Mars/Olympus' } },
      }),
      'environments.live.autoScaling.scheduledMinimums.peak.timeZone: "Mars/Olympus" is not an IANA time zone; allowed: an IANA time zone name such as UTC or Europe/Berlin',
    ],
    [
      'a window name with spaces',
      liveWith({ ...LIVE_SCALING, scheduledMinimums: { 'Business Hours': { minTasks: 4, start: '0 8 ? * * *', end: '0 9 ? * * *' } } }),
      'environments.live.autoScaling.scheduledMinimums.Business Hours: not a valid name; allowed: names of up to 40 lower-case letters, digits and hyphens, such as business-hours',
    ],
  ])('is refused in one line: %s', (_title, edits, problem) => {
    expect(problemsAfter(edits)).toEqual([problem]);
  });

  test('pre is checked the same way', () => {
    expect(problemsAfter({ 'environments.pre.autoScaling': { minTasks: 1, maxTasks: 1, targets: { memoryPercent: 80 } } })).toEqual([]);
    const pre = { minTasks: 2, maxTasks: 4, targets: { memoryPercent: 80 } };
    expect(problemsAfter({ 'environments.pre.autoScaling': pre })).toEqual([
      'environments.pre.desiredTaskCount: 1 is outside autoScaling.minTasks..maxTasks (2..4); allowed: a starting count from 2 to 4',
    ]);
    expect(problemsAfter({ 'environments.pre.autoScaling': pre, 'environments.pre.desiredTaskCount': 2 })).toEqual([
      'environments.pre.maxCapacity: 2 t3.small instances hold 4 tasks (2 per instance: 2 network interfaces for tasks); a release needs room for 8 (2 x autoScaling.maxTasks 4); allowed: maxCapacity 4 or more, a larger instance type, an instance type ECS trunks (with eniTrunking), or autoScaling.maxTasks 2 or fewer',
    ]);
  });
});

describe('the synth summary', () => {
  test('shows the task range and the release arithmetic at maxTasks', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const live = (raw.environments as Record<string, Record<string, unknown>>).live;
    live.maxCapacity = 8;
    live.autoScaling = LIVE_SCALING;

    // WHEN
    const text = summary(parseConfig(raw));

    // THEN
    expect(text).toContain('t4g.medium (arm64) x 2-8, 2-8 tasks (auto-scaling, starting at 2) of 512 CPU / 1024 MiB');
    expect(text).toContain('live: 2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 16, max 8 instances hold 16');
    expect(text).toContain('t3.small (x86_64) x 1-2, 1 task(s) of 256 CPU / 512 MiB');
  });
});
