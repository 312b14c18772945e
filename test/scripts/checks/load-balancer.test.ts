import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { checkHttpsListener, checkLoadBalancer, checkProductionRule } from '../../../scripts/checks/load-balancer';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const elbv2 = new ElasticLoadBalancingV2Client({});

beforeEach(() => resetAwsMocks());

describe('the load balancer check', () => {
  test('a load balancer that is gone fails and says to redeploy', async () => {
    // GIVEN
    aws.elbv2.on(DescribeLoadBalancersCommand).rejects(Object.assign(new Error('not found'), { name: 'LoadBalancerNotFoundException' }));

    // WHEN
    const finding = await checkLoadBalancer(elbv2, manifest);

    // THEN
    expect(finding).toEqual(expect.objectContaining({ status: 'fail', fix: 'npx cdk deploy berth-live creates it' }));
  });

  test("an impaired load balancer fails with AWS's reason", async () => {
    // GIVEN
    aws.elbv2
      .on(DescribeLoadBalancersCommand)
      .resolves({ LoadBalancers: [{ State: { Code: 'active_impaired', Reason: 'subnet has no free addresses' } }] });

    // WHEN
    const finding = await checkLoadBalancer(elbv2, manifest);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({ status: 'fail', summary: 'state is active_impaired', details: ['AWS says: subnet has no free addresses'] }),
    );
  });
});

describe('the HTTPS listener check', () => {
  test('a listener serving another certificate fails', async () => {
    // GIVEN
    aws.elbv2.on(DescribeListenersCommand).resolves({
      Listeners: [
        { Port: 443, Protocol: 'HTTPS', Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/other' }] },
      ],
    });

    // WHEN
    const finding = await checkHttpsListener(elbv2, manifest);

    // THEN
    expect(finding.status).toBe('fail');
    expect(finding.details).toEqual([
      'serves: arn:aws:acm:eu-west-1:123456789012:certificate/other',
      `expected: ${manifest.certificateArn}`,
    ]);
  });

  test('a listener on another port fails', async () => {
    // GIVEN
    aws.elbv2.on(DescribeListenersCommand).resolves({ Listeners: [{ Port: 80, Protocol: 'HTTP' }] });

    // WHEN
    const finding = await checkHttpsListener(elbv2, manifest);

    // THEN
    expect(finding.summary).toBe('listener is HTTP on port 80, not HTTPS on 443');
  });
});

describe('the production rule check', () => {
  test('names the target groups with weight above zero as serving', async () => {
    // GIVEN
    aws.elbv2.on(DescribeRulesCommand).resolves({
      Rules: [
        {
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['be.example.com'] } }],
          Actions: [
            {
              Type: 'forward',
              ForwardConfig: {
                TargetGroups: [
                  { TargetGroupArn: manifest.targetGroups.blue, Weight: 0 },
                  { TargetGroupArn: manifest.targetGroups.green, Weight: 100 },
                ],
              },
            },
          ],
        },
      ],
    });

    // WHEN
    const { finding, serving } = await checkProductionRule(elbv2, manifest);

    // THEN
    expect(finding).toEqual({ link: 'listener rule', status: 'ok', summary: 'be.example.com → blue 0, green 100' });
    expect(serving).toEqual(['green']);
  });

  test('a rule for another host fails', async () => {
    // GIVEN
    aws.elbv2.on(DescribeRulesCommand).resolves({
      Rules: [
        {
          Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['pre-be.example.com'] } }],
          Actions: [{ Type: 'forward', TargetGroupArn: manifest.targetGroups.blue }],
        },
      ],
    });

    // WHEN
    const { finding } = await checkProductionRule(elbv2, manifest);

    // THEN
    expect(finding.summary).toBe('rule matches pre-be.example.com, not be.example.com');
  });

  test('a rule that forwards nowhere fails, and both groups are checked next', async () => {
    // GIVEN
    aws.elbv2.on(DescribeRulesCommand).resolves({ Rules: [{ Conditions: [], Actions: [{ Type: 'fixed-response' }] }] });

    // WHEN
    const { finding, serving } = await checkProductionRule(elbv2, manifest);

    // THEN
    expect(finding.status).toBe('fail');
    expect(serving).toEqual(['blue', 'green']);
  });
});
