import { parseConfig } from '../../infra/config';
import { unacknowledgedFindings } from '../_helpers/compliance';
import { exampleRawConfig } from '../_helpers/synth';

describe('cdk-nag AwsSolutions and the cfn-guard plugin with canary, linear and smoke checks', () => {
  test('report no finding that is not acknowledged with a reason', () => {
    // GIVEN
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.pre.release = {
      strategy: { type: 'linear', stepPercent: 20, stepBakeMinutes: 2 },
      smoke: [{ path: '/health', status: 200 }],
    };
    environments.live.release = {
      strategy: { type: 'canary', percent: 10, bakeMinutes: 5 },
      smoke: [{ path: '/health', status: 200, header: { name: 'content-type', value: 'json' } }],
    };

    // WHEN
    const findings = unacknowledgedFindings(parseConfig(raw, 'test config'));

    // THEN
    expect(findings).toEqual([]);
  });
});
