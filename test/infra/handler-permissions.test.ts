import { runSimulation } from '@cloud-copilot/iam-simulate';
import { FakeLoadBalancer } from '../_helpers/fake-load-balancer';
import { FakeParameterStore } from '../_helpers/fake-parameter-store';
import { resetAwsMocks } from '../_helpers/mock-aws';
import { StackDeployments, type TemplateJson } from '../_helpers/stack-deployments';
import { synthBerth } from '../_helpers/synth';

// what the custom-resource handler of each stack may do, evaluated with an IAM policy simulator
// (@cloud-copilot/iam-simulate, a test-only dependency) against the policies as CloudFormation would deploy them.

const berth = synthBerth();

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** The policies of a stack's handler role, resolved against the stack deployed by {@link StackDeployments}. */
async function handlerPolicies(template: TemplateJson): Promise<{ name: string; policy: unknown }[]> {
  resetAwsMocks();
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  new FakeLoadBalancer().install();
  new FakeParameterStore().install();
  const stack = new StackDeployments();
  await stack.deploy(template);
  return Object.entries(template.Resources as Resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes('BerthHandlerRole'))
    .map(([id, r]) => ({ name: id, policy: stack.resolved(r.Properties.PolicyDocument) }));
}

async function decision(
  policies: { name: string; policy: unknown }[],
  action: string,
  resource: string,
  context: Record<string, string> = {},
): Promise<string> {
  const result = await runSimulation(
    {
      request: {
        principal: 'arn:aws:sts::123456789012:assumed-role/BerthHandlerRole/handler',
        action,
        resource: { resource, accountId: '123456789012' },
        contextVariables: context,
      },
      identityPolicies: policies.map((p) => ({ name: p.name, policy: p.policy as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (result.resultType === 'error') throw new Error(`the simulator refused ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

describe("the shared stack's handler", () => {
  const parameter = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/berth/live/image-tag';
  let policies: { name: string; policy: unknown }[];
  beforeAll(async () => {
    policies = await handlerPolicies(berth.shared.toJSON() as TemplateJson);
  });

  test("may create live's image-tag parameter but never overwrite it: only the CLI writes it once it exists", async () => {
    // THEN
    expect(await decision(policies, 'ssm:PutParameter', parameter, { 'ssm:Overwrite': 'false' })).toBe('Allowed');
    expect(await decision(policies, 'ssm:PutParameter', parameter, { 'ssm:Overwrite': 'true' })).toBe('ImplicitlyDenied');
    expect(await decision(policies, 'ssm:PutParameter', parameter)).toBe('ImplicitlyDenied');
    expect(await decision(policies, 'ssm:DeleteParameter', parameter)).toBe('ImplicitlyDenied');
  });

  test('may touch no other parameter', async () => {
    // THEN
    const manifest = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/berth/live/manifest';
    expect(await decision(policies, 'ssm:PutParameter', manifest, { 'ssm:Overwrite': 'false' })).toBe('ImplicitlyDenied');
    expect(await decision(policies, 'ssm:AddTagsToResource', manifest)).toBe('ImplicitlyDenied');
    expect(await decision(policies, 'ssm:AddTagsToResource', parameter)).toBe('Allowed');
  });
});

describe("live's handler", () => {
  const live = berth.live.toJSON() as TemplateJson;
  const listenerOf = (prefix: string) => {
    const id = Object.keys(live.Resources).find((k) => k.startsWith(prefix))!;
    return `arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/berth/0123456789abcdef/${id}`;
  };
  const https = listenerOf('IngressLoadBalancerHttpsListener');
  const http = listenerOf('IngressLoadBalancerHttpListener');
  const ruleOf = (listener: string) => `${listener.replace(':listener/', ':listener-rule/')}/rule1`;
  let policies: { name: string; policy: unknown }[];
  beforeAll(async () => {
    policies = await handlerPolicies(live);
  });

  test('may create and change the rules of the HTTPS listener and of no other listener', async () => {
    // THEN
    expect(await decision(policies, 'elasticloadbalancing:CreateRule', https)).toBe('Allowed');
    expect(await decision(policies, 'elasticloadbalancing:CreateRule', http)).toBe('ImplicitlyDenied');
    for (const action of ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DeleteRule']) {
      expect([action, await decision(policies, action, ruleOf(https))]).toEqual([action, 'Allowed']);
      expect([action, await decision(policies, action, ruleOf(http))]).toEqual([action, 'ImplicitlyDenied']);
    }
    expect(await decision(policies, 'elasticloadbalancing:ModifyListener', https)).toBe('ImplicitlyDenied');
  });

  test("may release the scale-in protection of live's Auto Scaling group only", async () => {
    // GIVEN
    const group = (name: string) =>
      `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:0c6e3b8a-1111-2222-3333-444455556666:autoScalingGroupName/${name}`;

    // THEN
    expect(await decision(policies, 'autoscaling:SetInstanceProtection', group('physical-CapacityAutoScalingGroupASG0AD8679D'))).toBe(
      'Allowed',
    );
    expect(await decision(policies, 'autoscaling:SetInstanceProtection', group('berth-pre-group'))).toBe('ImplicitlyDenied');
    expect(
      await decision(policies, 'autoscaling:TerminateInstanceInAutoScalingGroup', group('physical-CapacityAutoScalingGroupASG0AD8679D')),
    ).toBe('ImplicitlyDenied');
  });
});
