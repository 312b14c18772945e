import { parseConfig } from '../../infra/config';
import { unacknowledgedFindings } from '../_helpers/compliance';
import { exampleRawConfig } from '../_helpers/synth';

describe('cdk-nag AwsSolutions and the cfn-guard plugin with a database in each environment', () => {
  test('report no finding that is not acknowledged with a reason, for MySQL on live and PostgreSQL on pre', () => {
    // GIVEN: pre's defaults (single-AZ, no deletion protection) are the weaker ones, so both are covered.
    const raw = exampleRawConfig();
    const environments = raw.environments as Record<string, Record<string, unknown>>;
    environments.live.database = { enabled: true, engine: 'mysql' };
    environments.pre.database = { enabled: true, engine: 'postgres' };

    // WHEN
    const findings = unacknowledgedFindings(parseConfig(raw, 'test config'));

    // THEN
    expect(findings).toEqual([]);
  });
});
