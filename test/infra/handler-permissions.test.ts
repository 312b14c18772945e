import { DeployedStacks, evaluate } from '../_helpers/iam';
import { synthBerth } from '../_helpers/synth';

// what the custom-resource handler of each stack may do, evaluated with the IAM policy simulator against its
// role as CloudFormation would deploy it (test/_helpers/iam.ts).

const world = DeployedStacks.fromBerth(synthBerth());
const handlerOf = (stack: string) => world.role(stack, /^BerthHandlerRole/);

describe("the shared stack's handler", () => {
  const handler = handlerOf('berth-shared');
  const parameter = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/berth/live/image-tag';

  test("may create live's image-tag parameter but never overwrite it: only the CLI writes it once it exists", async () => {
    // THEN
    expect(await evaluate(handler, { action: 'ssm:PutParameter', resource: parameter, context: { 'ssm:Overwrite': 'false' } })).toBe(
      'Allowed',
    );
    expect(await evaluate(handler, { action: 'ssm:PutParameter', resource: parameter, context: { 'ssm:Overwrite': 'true' } })).toBe(
      'ImplicitlyDenied',
    );
    expect(await evaluate(handler, { action: 'ssm:PutParameter', resource: parameter })).toBe('ImplicitlyDenied');
    expect(await evaluate(handler, { action: 'ssm:DeleteParameter', resource: parameter })).toBe('ImplicitlyDenied');
  });

  test('may tag it, and touch no other parameter', async () => {
    // GIVEN
    const manifest = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/berth/live/manifest';

    // THEN
    expect(await evaluate(handler, { action: 'ssm:AddTagsToResource', resource: parameter })).toBe('Allowed');
    expect(await evaluate(handler, { action: 'ssm:PutParameter', resource: manifest, context: { 'ssm:Overwrite': 'false' } })).toBe(
      'ImplicitlyDenied',
    );
    expect(await evaluate(handler, { action: 'ssm:AddTagsToResource', resource: manifest })).toBe('ImplicitlyDenied');
  });
});

describe("live's handler", () => {
  const handler = handlerOf('berth-live');
  const https = world.resource('berth-live', 'AWS::ElasticLoadBalancingV2::Listener', /HttpsListener/).arn;
  const http = world.resource('berth-live', 'AWS::ElasticLoadBalancingV2::Listener', /HttpListener/).arn;
  const preHttps = world.resource('berth-pre', 'AWS::ElasticLoadBalancingV2::Listener', /HttpsListener/).arn;
  const ruleOf = (listener: string) => `${listener.replace(':listener/', ':listener-rule/')}/0123456789abcdef`;

  test('may create and change the rules of its HTTPS listener, and of no other listener', async () => {
    // THEN
    expect(await evaluate(handler, { action: 'elasticloadbalancing:CreateRule', resource: https })).toBe('Allowed');
    expect(await evaluate(handler, { action: 'elasticloadbalancing:CreateRule', resource: http })).toBe('ImplicitlyDenied');
    expect(await evaluate(handler, { action: 'elasticloadbalancing:CreateRule', resource: preHttps })).toBe('ImplicitlyDenied');
    for (const action of ['elasticloadbalancing:ModifyRule', 'elasticloadbalancing:SetRulePriorities', 'elasticloadbalancing:DeleteRule']) {
      expect([action, await evaluate(handler, { action, resource: ruleOf(https) })]).toEqual([action, 'Allowed']);
      expect([action, await evaluate(handler, { action, resource: ruleOf(http) })]).toEqual([action, 'ImplicitlyDenied']);
      expect([action, await evaluate(handler, { action, resource: ruleOf(preHttps) })]).toEqual([action, 'ImplicitlyDenied']);
    }
    expect(await evaluate(handler, { action: 'elasticloadbalancing:ModifyListener', resource: https })).toBe('ImplicitlyDenied');
  });

  test("may release the scale-in protection of live's Auto Scaling group only, and terminate nothing", async () => {
    // GIVEN
    const group = world.resource('berth-live', 'AWS::AutoScaling::AutoScalingGroup', /AutoScalingGroup/).arn;
    const preGroup = world.resource('berth-pre', 'AWS::AutoScaling::AutoScalingGroup', /AutoScalingGroup/).arn;

    // THEN
    expect(await evaluate(handler, { action: 'autoscaling:SetInstanceProtection', resource: group })).toBe('Allowed');
    expect(await evaluate(handler, { action: 'autoscaling:SetInstanceProtection', resource: preGroup })).toBe('ImplicitlyDenied');
    expect(await evaluate(handler, { action: 'autoscaling:TerminateInstanceInAutoScalingGroup', resource: group })).toBe(
      'ImplicitlyDenied',
    );
  });
});

describe('the handler of an auto-scaled environment (both environments scaled)', () => {
  const scaled = DeployedStacks.fromBerth(
    synthBerth((raw) => {
      const environments = raw.environments as Record<string, Record<string, unknown>>;
      environments.pre.autoScaling = { minTasks: 1, maxTasks: 2, targets: { cpuPercent: 60 } };
      environments.live.autoScaling = { minTasks: 2, maxTasks: 4, targets: { cpuPercent: 60 } };
    }),
  );
  const handler = scaled.role('berth-live', /^BerthHandlerRole/);
  const liveService = scaled.resource('berth-live', 'AWS::ECS::Service', /^Service/);
  const preService = scaled.resource('berth-pre', 'AWS::ECS::Service', /^Service/);

  test("may set the starting count of live's service, and of no other service", async () => {
    // THEN
    expect(await evaluate(handler, { action: 'ecs:UpdateService', resource: liveService })).toBe('Allowed');
    expect(await evaluate(handler, { action: 'ecs:DescribeServices', resource: liveService })).toBe('Allowed');
    expect(await evaluate(handler, { action: 'ecs:UpdateService', resource: preService })).toBe('ImplicitlyDenied');
    expect(
      await evaluate(handler, {
        action: 'ecs:UpdateService',
        resource: liveService.arn.replace(/[^/]+$/, 'another-service'),
      }),
    ).toBe('ImplicitlyDenied');
  });

  test('may not register or deregister a task definition, or change the scalable target', async () => {
    // THEN
    expect(await evaluate(handler, { action: 'ecs:RegisterTaskDefinition', resource: '*' })).toBe('ImplicitlyDenied');
    expect(await evaluate(handler, { action: 'application-autoscaling:RegisterScalableTarget', resource: '*' })).toBe('ImplicitlyDenied');
  });
});
