import { loadConfig, parseConfig } from '../../infra/config';
import { unacknowledgedFindings } from '../_helpers/compliance';
import { EXAMPLE_CONFIG_FILE, exampleRawConfig } from '../_helpers/synth';

// The slowest checks of the suite, in one file: CloudFormation's template validation compiles its WebAssembly
// engine, and cdk-nag loads its rules, once per test file (jest gives each file its own modules), so every
// further file that ran them would pay seconds again. Nowhere else runs them (test/_helpers/synth.ts turns the
// template validation off).
describe('cdk-nag AwsSolutions and the cfn-guard plugin on the example app', () => {
  test('report no finding that is not acknowledged with a reason', () => {
    // WHEN
    const findings = unacknowledgedFindings(loadConfig(EXAMPLE_CONFIG_FILE));

    // THEN
    expect(findings).toEqual([]);
  });
});

// every optional feature switched on in one config, so the feature check synthesizes once for all of them.
describe('cdk-nag AwsSolutions and the cfn-guard plugin with every optional feature on', () => {
  test('report no finding that is not acknowledged with a reason', () => {
    // GIVEN: a database in each environment, MySQL on live and PostgreSQL on pre (pre's defaults, single-AZ and
    // no deletion protection, are the weaker ones, so both are covered).
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.live.database = { enabled: true, engine: 'mysql' };
    environments.pre.database = { enabled: true, engine: 'postgres' };
    // task auto-scaling with every kind of target and a scheduled minimum.
    environments.pre.autoScaling = { minTasks: 1, maxTasks: 2, targets: { cpuPercent: 60 } };
    environments.live.maxCapacity = 8;
    environments.live.autoScaling = {
      minTasks: 2,
      maxTasks: 8,
      targets: { cpuPercent: 60, memoryPercent: 70, requestsPerTaskPerMinute: 1200 },
      scheduledMinimums: {
        'business-hours': { minTasks: 4, start: '0 8 ? * MON-FRI *', end: '0 19 ? * MON-FRI *', timeZone: 'Europe/Berlin' },
      },
    };

    // canary on live, linear on pre, each with smoke checks (and so the PAUSE hook).
    environments.pre.release = {
      strategy: { type: 'linear', stepPercent: 20, stepBakeMinutes: 2 },
      smoke: [{ path: '/health', status: 200 }],
    };
    environments.live.release = {
      strategy: { type: 'canary', percent: 10, bakeMinutes: 5 },
      smoke: [{ path: '/health', status: 200, header: { name: 'content-type', value: 'json' } }],
    };

    // release notifications in both environments: e-mail on pre, e-mail and a Slack channel on live.
    environments.pre.notifications = { email: ['team@example.com'] };
    environments.live.notifications = {
      email: ['releases@example.com', 'oncall@example.com'],
      slack: { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' },
    };

    // WHEN
    const findings = unacknowledgedFindings(parseConfig(raw, 'test config'));

    // THEN
    expect(findings).toEqual([]);
  });
});
