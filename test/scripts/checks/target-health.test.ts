import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkTargetHealth } from '../../../scripts/checks/target-health';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('pre');
const elbv2 = new ElasticLoadBalancingV2Client({});

function givenTargets(
  blue: {
    State: 'healthy' | 'unhealthy' | 'initial' | 'draining';
    Reason?: 'Target.Timeout' | 'Elb.InitialHealthChecking';
    Description?: string;
  }[],
) {
  aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.blue }).resolves({
    TargetHealthDescriptions: blue.map((health, i) => ({ Target: { Id: `i-0${i}`, Port: 32768 + i }, TargetHealth: health })),
  });
  aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.green }).resolves({ TargetHealthDescriptions: [] });
}

beforeEach(() => resetAwsMocks());

describe('the target health check', () => {
  test('some unhealthy targets warn with the fix for their reason', async () => {
    // GIVEN
    givenTargets([{ State: 'healthy' }, { State: 'unhealthy', Reason: 'Target.Timeout', Description: 'Request timed out' }]);

    // WHEN
    const finding = await checkTargetHealth(elbv2, manifest, ['blue']);

    // THEN
    expect(finding.status).toBe('warn');
    expect(finding.summary).toBe('1/2 targets healthy');
    expect(finding.details).toContain('  i-01:32769 unhealthy (Target.Timeout: Request timed out)');
    expect(finding.fix).toContain('check it listens on 8080');
  });

  test('targets still in their first check only warn', async () => {
    // GIVEN
    givenTargets([{ State: 'initial', Reason: 'Elb.InitialHealthChecking' }]);

    // WHEN
    const finding = await checkTargetHealth(elbv2, manifest, ['blue']);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({ status: 'warn', fix: 'the targets are new and still being checked: run doctor again in a minute' }),
    );
  });

  test('no target in the serving group fails: the load balancer answers 503', async () => {
    // GIVEN
    givenTargets([{ State: 'healthy' }]);

    // WHEN
    const finding = await checkTargetHealth(elbv2, manifest, ['green']);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({
        status: 'fail',
        summary: 'no target registered in the serving target group: the load balancer answers 503',
      }),
    );
  });
});
