import 'aws-sdk-client-mock-jest';
import { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import { deploymentArn, setUpWorld } from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

describe('berth status of a canary release paused at the smoke-test gate', () => {
  test('shows the step, the production share and when the pause rolls back', async () => {
    // GIVEN the newest deployment waits at its PAUSE hook, 5% of production on the new tasks
    setUpWorld();
    aws.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [deploymentArn('live', 'old')] }).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: deploymentArn('live', 'old'),
          status: 'IN_PROGRESS',
          lifecycleStage: 'POST_TEST_TRAFFIC_SHIFT',
          deploymentConfiguration: { strategy: 'CANARY', canaryConfiguration: { canaryPercent: 5 } },
          targetServiceRevision: { arn: 'arn:revision/new', requestedProductionTrafficWeight: 5 },
          lifecycleHookDetails: [
            { hookId: 'ecs-pause-1', targetType: 'PAUSE', status: 'AWAITING_ACTION', expiresAt: new Date('2026-12-02T10:42:00Z') },
          ],
        },
      ],
    });

    // WHEN
    const { code, out } = await runBerth(['status', 'live'], { env: { BERTH_CONFIG: 'config/example.json' } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('progress    step 1 of 2 · production 5% on new tasks');
    expect(out).toContain('gate        paused at the smoke-test gate, rolls back at 10:42 UTC unless continued');
  });
});
