import 'aws-sdk-client-mock-jest';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { readTargetHealth, targetGroupName } from '../../../scripts/aws/target-health';
import { formatTargetHealth } from '../../../scripts/cli/format';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });

beforeEach(() => resetAwsMocks());

describe('readTargetHealth', () => {
  test('counts healthy targets per target group and keeps the reasons of the others', async () => {
    // GIVEN
    aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.blue }).resolves({
      TargetHealthDescriptions: [
        { Target: { Id: 'i-1', Port: 32768 }, TargetHealth: { State: 'healthy' } },
        {
          Target: { Id: 'i-2', Port: 32769 },
          TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'codes: [502]' },
        },
      ],
    });
    aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.green }).resolves({ TargetHealthDescriptions: [] });

    // WHEN
    const groups = await readTargetHealth(elbv2, manifest.targetGroups);

    // THEN
    expect(groups).toEqual([
      expect.objectContaining({ label: 'blue', name: 'berth-live-blue', healthy: 1, total: 2 }),
      expect.objectContaining({ label: 'green', name: 'berth-live-green', healthy: 0, total: 0 }),
    ]);
    expect(groups[0].targets[1]).toEqual({
      id: 'i-2',
      port: 32769,
      state: 'unhealthy',
      reason: 'Target.ResponseCodeMismatch',
      description: 'codes: [502]',
    });
    expect(formatTargetHealth(groups)).toBe('blue 1/2 healthy, green 0/0 healthy');
  });

  test('the name of a target group comes from its ARN', () => {
    expect(targetGroupName(manifest.targetGroups.green)).toBe('berth-live-green');
    expect(targetGroupName('not-an-arn')).toBe('not-an-arn');
  });
});
