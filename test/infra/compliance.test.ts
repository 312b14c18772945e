import { loadConfig } from '../../infra/config';
import { unacknowledgedFindings } from '../_helpers/compliance';
import { EXAMPLE_CONFIG_FILE } from '../_helpers/synth';

describe('cdk-nag AwsSolutions and the cfn-guard plugin on the example app', () => {
  test('report no finding that is not acknowledged with a reason', () => {
    // WHEN
    const findings = unacknowledgedFindings(loadConfig(EXAMPLE_CONFIG_FILE));

    // THEN
    expect(findings).toEqual([]);
  });
});
