import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  checkHttpsListener,
  checkLoadBalancer,
  checkProductionRule,
  checkTraffic,
  trafficProblems,
} from '../../../scripts/checks/load-balancer';
import { exampleManifest, forwardAction } from '../../_helpers/manifest';
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

describe('the traffic check', () => {
  const forward = (blue: number, green: number, other?: string) => forwardAction(manifest, blue, green, other);
  const given = (production: ReturnType<typeof forward>, test: ReturnType<typeof forward>, healthy: { blue: number; green: number }) => {
    aws.elbv2.on(DescribeRulesCommand, { RuleArns: [manifest.rules.production] }).resolves({ Rules: [{ Actions: [production] }] });
    aws.elbv2.on(DescribeRulesCommand, { RuleArns: [manifest.rules.test] }).resolves({ Rules: [{ Actions: [test] }] });
    for (const label of ['blue', 'green'] as const) {
      aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups[label] }).resolves({
        TargetHealthDescriptions: Array.from({ length: healthy[label] }, (_, i) => ({
          Target: { Id: `10.0.0.${i}`, Port: 8080 },
          TargetHealth: { State: 'healthy' },
        })),
      });
    }
  };

  test('says which group serves production and where the test rule points', async () => {
    // GIVEN: after a release, production on green with the tasks, the test rule on blue.
    given(forward(0, 100), forward(100, 0), { blue: 0, green: 2 });

    // WHEN
    const finding = await checkTraffic(elbv2, manifest);

    // THEN
    expect(finding).toEqual({
      link: 'traffic',
      status: 'ok',
      summary: 'production → green (blue 0, green 100), test → blue (blue 100, green 0)',
    });
  });

  test('fails when production goes to a group without healthy targets while the other has them, with the command that fixes it', async () => {
    // GIVEN: what an AWS::ElasticLoadBalancingV2::ListenerRule update did after one release.
    given(forward(100, 0), forward(100, 0), { blue: 0, green: 2 });

    // WHEN
    const finding = await checkTraffic(elbv2, manifest);

    // THEN
    expect(finding).toMatchObject({
      status: 'fail',
      summary: 'production goes to blue, which has no healthy target, while green has 2: requests get 503',
      details: ['production → blue (blue 100, green 0), test → blue (blue 100, green 0)'],
    });
    expect(finding.fix).toContain(`aws elbv2 modify-rule --rule-arn ${manifest.rules.production} --actions`);
    const actions: unknown = JSON.parse(finding.fix!.split("--actions '")[1]!.slice(0, -1));
    expect(actions).toEqual([
      {
        Type: 'forward',
        ForwardConfig: {
          TargetGroups: [
            { TargetGroupArn: manifest.targetGroups.green, Weight: 100 },
            { TargetGroupArn: manifest.targetGroups.blue, Weight: 0 },
          ],
        },
      },
    ]);
  });

  test('warns when a rule splits traffic: ECS is shifting it, or it was edited', async () => {
    // GIVEN
    given(forward(50, 50), forward(0, 100), { blue: 2, green: 2 });

    // WHEN
    const finding = await checkTraffic(elbv2, manifest);

    // THEN
    expect(finding).toMatchObject({
      status: 'warn',
      summary: 'the production rule splits traffic (blue 50, green 50): a release is shifting it, or the rule was edited',
    });
  });

  test("fails when production forwards to a target group that is not the environment's", async () => {
    // GIVEN
    const stranger = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/other/1';
    given(forward(100, 0, stranger), forward(100, 0), { blue: 2, green: 0 });

    // WHEN
    const finding = await checkTraffic(elbv2, manifest);

    // THEN
    expect(finding).toMatchObject({
      status: 'fail',
      summary: `the production rule forwards to ${stranger}, which is not the environment's blue or green`,
    });
  });

  test('a missing test rule fails and says to redeploy', () => {
    // WHEN
    const problems = trafficProblems({ production: [{ label: 'blue', arn: manifest.targetGroups.blue, weight: 100 }] }, manifest);

    // THEN
    expect(problems).toEqual([
      { status: 'fail', problem: 'the test rule in the manifest does not exist', fix: 'npx cdk deploy berth-live creates it' },
    ]);
  });
});
