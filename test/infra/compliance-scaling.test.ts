import { parseConfig } from '../../infra/config';
import { unacknowledgedFindings } from '../_helpers/compliance';
import { exampleRawConfig } from '../_helpers/synth';

describe('cdk-nag AwsSolutions and the cfn-guard plugin with task auto-scaling in each environment', () => {
  test('report no finding that is not acknowledged with a reason, with every kind of target and a scheduled minimum', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
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

    // WHEN
    const findings = unacknowledgedFindings(parseConfig(raw, 'test config'));

    // THEN
    expect(findings).toEqual([]);
  });
});
