import { CreateRuleCommand, ElasticLoadBalancingV2Client, ModifyRuleCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CustomResourceEvent } from '../../../infra/handlers/custom-resource';
import { handleListenerRule } from '../../../infra/handlers/listener-rule';
import { FakeLoadBalancer } from '../../_helpers/fake-load-balancer';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const LISTENER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/berth-live/0123456789abcdef/fedcba9876543210';
const BLUE = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/blue/1';
const GREEN = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/green/2';
const host = (name: string) => [{ Field: 'host-header', HostHeaderConfig: { Values: [name] } }];

/** The properties as CloudFormation passes them: numbers as strings. */
function properties(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ListenerArn: LISTENER,
    Priority: '15',
    Conditions: host('be.example.com'),
    BlueTargetGroupArn: BLUE,
    GreenTargetGroupArn: GREEN,
    ...overrides,
  };
}

function event(requestType: CustomResourceEvent['RequestType'], extra: Partial<CustomResourceEvent> = {}): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'https://response.invalid/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/berth-live/1',
    RequestId: 'r1',
    ResourceType: 'Custom::BerthListenerRule',
    LogicalResourceId: 'IngressProductionRule9FEF093D',
    ResourceProperties: properties(),
    ...extra,
  };
}

describe('the listener-rule handler', () => {
  const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });
  let elb: FakeLoadBalancer;

  beforeEach(() => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    elb = new FakeLoadBalancer().install();
  });

  /** Creates the rule and returns its ARN. */
  async function created(): Promise<string> {
    return (await handleListenerRule(elbv2, event('Create'))).physicalResourceId;
  }

  test('creates the rule over blue 100 and green 0 and says blue serves', async () => {
    // WHEN
    const result = await handleListenerRule(elbv2, event('Create'));

    // THEN
    expect(elb.weights(result.physicalResourceId)).toEqual({ [BLUE]: 100, [GREEN]: 0 });
    expect(result.data).toEqual({
      RuleArn: result.physicalResourceId,
      ServingTargetGroupArn: BLUE,
      IdleTargetGroupArn: GREEN,
      Serving: 'blue',
    });
    expect(aws.elbv2).toHaveReceivedCommandWith(CreateRuleCommand, { ListenerArn: LISTENER, Priority: 15 });
  });

  test('changes the conditions and the priority without sending actions, and reports the group ECS made serve', async () => {
    // GIVEN: a release moved production to green.
    const rule = await created();
    const test = (
      await handleListenerRule(
        elbv2,
        event('Create', {
          ResourceProperties: properties({
            Priority: '5',
            Conditions: [
              ...host('be.example.com'),
              { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'x-berth-test', Values: ['green'] } },
            ],
          }),
        }),
      )
    ).physicalResourceId;
    elb.release(rule, test);

    // WHEN
    const result = await handleListenerRule(
      elbv2,
      event('Update', {
        PhysicalResourceId: rule,
        OldResourceProperties: properties(),
        ResourceProperties: properties({ Priority: '16', Conditions: host('api.example.com') }),
      }),
    );

    // THEN
    expect(elb.modifications).toEqual([{ RuleArn: rule, Conditions: host('api.example.com') }]);
    expect(elb.rulesOf(LISTENER).find((r) => r.RuleArn === rule)).toMatchObject({ Priority: '16', Conditions: host('api.example.com') });
    expect(elb.weights(rule)).toEqual({ [BLUE]: 0, [GREEN]: 100 });
    expect(result.data).toMatchObject({ ServingTargetGroupArn: GREEN, IdleTargetGroupArn: BLUE, Serving: 'green' });
  });

  test('an update that changes nothing the template owns writes nothing', async () => {
    // GIVEN
    const rule = await created();

    // WHEN
    await handleListenerRule(
      elbv2,
      event('Update', {
        PhysicalResourceId: rule,
        OldResourceProperties: properties(),
        ResourceProperties: properties({ ServiceUpdate: { desiredCount: '3' } }),
      }),
    );

    // THEN
    expect(aws.elbv2).not.toHaveReceivedCommand(ModifyRuleCommand);
    expect(aws.elbv2).toHaveReceivedCommandTimes(CreateRuleCommand, 1);
  });

  test('refuses to replace the target group that serves, and changes nothing', async () => {
    // GIVEN: blue serves.
    const rule = await created();

    // WHEN
    const update = handleListenerRule(
      elbv2,
      event('Update', {
        PhysicalResourceId: rule,
        OldResourceProperties: properties(),
        ResourceProperties: properties({ BlueTargetGroupArn: `${BLUE}-new` }),
      }),
    );

    // THEN
    await expect(update).rejects.toThrow(/refusing to replace target group .*blue\/1: rule .* sends it 100 of its traffic/);
    expect(elb.weights(rule)).toEqual({ [BLUE]: 100, [GREEN]: 0 });
  });

  test('a replaced idle target group takes its place at weight 0', async () => {
    // GIVEN: blue serves, green is idle.
    const rule = await created();

    // WHEN
    const result = await handleListenerRule(
      elbv2,
      event('Update', {
        PhysicalResourceId: rule,
        OldResourceProperties: properties(),
        ResourceProperties: properties({ GreenTargetGroupArn: `${GREEN}-new` }),
      }),
    );

    // THEN
    expect(elb.weights(rule)).toEqual({ [BLUE]: 100, [`${GREEN}-new`]: 0 });
    expect(result.data).toMatchObject({ IdleTargetGroupArn: `${GREEN}-new` });
  });

  test('takes over the weights of an earlier rule with the same conditions over the same target groups', async () => {
    // GIVEN: an AWS::ElasticLoadBalancingV2::ListenerRule of an earlier berth, at 20, on green after a release.
    await elbv2.send(
      new CreateRuleCommand({
        ListenerArn: LISTENER,
        Priority: 20,
        Conditions: host('BE.example.com'),
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: GREEN, Weight: 100 },
                { TargetGroupArn: BLUE, Weight: 0 },
              ],
            },
          },
        ],
      }),
    );

    // WHEN
    const result = await handleListenerRule(elbv2, event('Create'));

    // THEN
    expect(elb.weights(result.physicalResourceId)).toEqual({ [BLUE]: 0, [GREEN]: 100 });
    expect(result.data).toMatchObject({ Serving: 'green' });
  });

  test('deletes the rule, and a rule already gone or a failed create is no error', async () => {
    // GIVEN
    const rule = await created();

    // WHEN
    await handleListenerRule(elbv2, event('Delete', { PhysicalResourceId: rule }));
    await handleListenerRule(elbv2, event('Delete', { PhysicalResourceId: rule }));
    await handleListenerRule(elbv2, event('Delete', { PhysicalResourceId: 'failed-IngressProductionRule9FEF093D-r1' }));

    // THEN
    expect(elb.rulesOf(LISTENER)).toEqual([]);
  });

  test('a rule deleted by hand is created again on the next update', async () => {
    // GIVEN
    const rule = await created();
    await handleListenerRule(elbv2, event('Delete', { PhysicalResourceId: rule }));

    // WHEN
    const result = await handleListenerRule(
      elbv2,
      event('Update', { PhysicalResourceId: rule, OldResourceProperties: properties(), ResourceProperties: properties() }),
    );

    // THEN
    expect(result.physicalResourceId).not.toBe(rule);
    expect(elb.rulesOf(LISTENER)).toHaveLength(1);
  });
});
