import { FakeEcsServices } from '../_helpers/fake-ecs-services';
import { FakeLoadBalancer } from '../_helpers/fake-load-balancer';
import { FakeParameterStore } from '../_helpers/fake-parameter-store';
import { resetAwsMocks } from '../_helpers/mock-aws';
import { StackDeployments, type TemplateJson } from '../_helpers/stack-deployments';
import { synthBerth } from '../_helpers/synth';
import { writeImageTag } from '../../scripts/aws/image-tag';
import { SSMClient } from '@aws-sdk/client-ssm';

type Raw = Record<string, unknown>;
type Environments = Record<string, Record<string, unknown>>;

/** The live stack's template for the example config, after an edit. */
function liveTemplate(change: (raw: Raw) => void = () => undefined): TemplateJson {
  return synthBerth(change).live.toJSON() as TemplateJson;
}

/** The shared stack's template for the example config, after an edit. */
function sharedTemplate(change: (raw: Raw) => void = () => undefined): TemplateJson {
  return synthBerth(change).shared.toJSON() as TemplateJson;
}

function logicalId(template: TemplateJson, prefix: string): string {
  const ids = Object.keys(template.Resources).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

const live = {
  initial: liveTemplate(),
  // a change of the subdomain changes both rules' host condition, and nothing about ECS.
  newSubdomain: liveTemplate((raw) => {
    (raw.environments as Environments).live.subdomain = 'api';
  }),
  // the test rule limited to a network: the test rule changes, the production rule does not.
  limitedTestRule: liveTemplate((raw) => {
    (raw.environments as Environments).live.testRule = { sourceCidrs: ['203.0.113.0/24'] };
  }),
  // a new image of the task definition: the service is updated, the rules' conditions are not.
  newTaskSettings: liveTemplate((raw) => {
    const environment = (raw.environments as Environments).live;
    environment.container = { ...(environment.container as Raw), memoryMiB: 1024, port: 9090 };
  }),
};

describe('a cdk deploy of live after releases keeps production on the target group with the tasks', () => {
  let elb: FakeLoadBalancer;
  let stack: StackDeployments;
  let production: string;
  let testRule: string;
  let blue: string;
  let green: string;

  beforeEach(async () => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    elb = new FakeLoadBalancer().install();
    // the stack's manifest parameter is written and its service created too: the mocks refuse a call nobody scripted.
    new FakeParameterStore().install();
    new FakeEcsServices().install();
    stack = new StackDeployments();
    // GIVEN: live created from the template.
    await stack.deploy(live.initial);
    production = stack.ref(logicalId(live.initial, 'IngressProductionRule'));
    testRule = stack.ref(logicalId(live.initial, 'IngressTestRule'));
    blue = stack.ref(logicalId(live.initial, 'IngressBlueTargetGroup'));
    green = stack.ref(logicalId(live.initial, 'IngressGreenTargetGroup'));
  });

  test('the rules are created with production on blue', () => {
    // THEN
    expect(elb.weights(production)).toEqual({ [blue]: 100, [green]: 0 });
  });

  test.each([1, 3])(
    'after %i release(s), a change of only the subdomain keeps production on green and the test rule on blue',
    async (releases) => {
      // GIVEN: ECS moved production to green (an odd number of releases).
      for (let i = 0; i < releases; i++) elb.release(production, testRule);
      expect(elb.weights(production)).toEqual({ [blue]: 0, [green]: 100 });

      // WHEN
      await stack.deploy(live.newSubdomain);

      // THEN: the new host name is there, and production still goes to the tasks.
      const rules = elb.rulesOf(stack.ref(logicalId(live.newSubdomain, 'IngressLoadBalancerHttpsListener')));
      expect(
        rules
          .flatMap((r) => r.Conditions ?? [])
          .filter((c) => c.Field === 'host-header')
          .map((c) => c.HostHeaderConfig?.Values),
      ).toEqual([['api.example.com'], ['api.example.com']]);
      expect(elb.weights(stack.ref(logicalId(live.newSubdomain, 'IngressProductionRule')))).toEqual({ [blue]: 0, [green]: 100 });
      expect(elb.weights(stack.ref(logicalId(live.newSubdomain, 'IngressTestRule')))).toEqual({ [blue]: 100, [green]: 0 });
    },
  );

  test('after two releases, the same change keeps production on blue', async () => {
    // GIVEN
    elb.release(production, testRule);
    elb.release(production, testRule);

    // WHEN
    await stack.deploy(live.newSubdomain);

    // THEN
    expect(elb.weights(production)).toEqual({ [blue]: 100, [green]: 0 });
  });

  test('after two releases, a change of the test rule moves neither rule', async () => {
    // GIVEN: production is back on blue, and ECS left the test rule on green.
    elb.release(production, testRule);
    elb.release(production, testRule);

    // WHEN
    await stack.deploy(live.limitedTestRule);

    // THEN
    expect(elb.weights(production)).toEqual({ [blue]: 100, [green]: 0 });
    expect(elb.weights(testRule)).toEqual({ [blue]: 0, [green]: 100 });
    expect(
      elb.rulesOf(stack.ref(logicalId(live.limitedTestRule, 'IngressLoadBalancerHttpsListener'))).flatMap((r) => r.Conditions ?? []),
    ).toContainEqual(expect.objectContaining({ Field: 'source-ip', SourceIpConfig: { Values: ['203.0.113.0/24'] } }));
  });

  test('after a release, an update of the service names green, which serves, and blue as the alternate', async () => {
    // GIVEN
    elb.release(production, testRule);

    // WHEN: a new container port and memory change the task definition, and so the service.
    await stack.deploy(live.newTaskSettings);

    // THEN: the service hands ECS the roles the rules have, not those of the first deployment; the target groups
    // were kept (a new container port does not replace them) and the rules were not written.
    const [loadBalancer] = stack.serviceLoadBalancers.get(logicalId(live.newTaskSettings, 'Service9571'))! as Record<
      string,
      Record<string, unknown>
    >[];
    expect(loadBalancer).toMatchObject({
      TargetGroupArn: green,
      ContainerPort: 9090,
      AdvancedConfiguration: { AlternateTargetGroupArn: blue },
    });
    expect(stack.ref(logicalId(live.newTaskSettings, 'IngressBlueTargetGroup'))).toBe(blue);
    expect(elb.weights(production)).toEqual({ [blue]: 0, [green]: 100 });
    expect(elb.modifications).toEqual([]);
  });
});

/**
 * The live template as berth deployed it before the rules became custom resources: two
 * `AWS::ElasticLoadBalancingV2::ListenerRule` at priorities 10 and 20 with blue 100 / green 0, named by the service.
 */
function beforeCustomRules(template: TemplateJson): TemplateJson {
  const resources = structuredClone(template.Resources) as Record<string, { Type: string; Properties: Record<string, unknown> }>;
  const production = logicalId(template, 'IngressProductionRule');
  const test = logicalId(template, 'IngressTestRule');
  const legacy = (id: string, priority: number) => {
    const { ListenerArn, Conditions, BlueTargetGroupArn, GreenTargetGroupArn } = resources[id]!.Properties;
    return {
      Type: 'AWS::ElasticLoadBalancingV2::ListenerRule',
      Properties: {
        ListenerArn,
        Priority: priority,
        Conditions,
        Actions: [
          {
            Type: 'forward',
            ForwardConfig: {
              TargetGroups: [
                { TargetGroupArn: BlueTargetGroupArn, Weight: 100 },
                { TargetGroupArn: GreenTargetGroupArn, Weight: 0 },
              ],
            },
          },
        ],
      },
    };
  };
  resources.IngressTestRuleF5264E4D = legacy(test, 10);
  resources.IngressProductionRuleA537B4D9 = legacy(production, 20);
  const [blue, green] = [logicalId(template, 'IngressBlueTargetGroup'), logicalId(template, 'IngressGreenTargetGroup')];
  const service = resources[logicalId(template, 'Service9571')]!;
  service.Properties.LoadBalancers = [
    {
      ContainerName: 'app',
      ContainerPort: 8080,
      TargetGroupArn: { Ref: blue },
      AdvancedConfiguration: {
        AlternateTargetGroupArn: { Ref: green },
        ProductionListenerRule: { Ref: 'IngressProductionRuleA537B4D9' },
        TestListenerRule: { Ref: 'IngressTestRuleF5264E4D' },
      },
    },
  ];
  Reflect.deleteProperty(resources, production);
  Reflect.deleteProperty(resources, test);
  return { Resources: resources };
}

describe('upgrading a live stack whose rules are AWS::ElasticLoadBalancingV2::ListenerRule', () => {
  test('after a release, the new rules take over the weights ECS left and production never leaves green', async () => {
    // GIVEN: the earlier berth's stack, and one release since.
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const elb = new FakeLoadBalancer().install();
    new FakeParameterStore().install();
    new FakeEcsServices().install();
    const stack = new StackDeployments();
    await stack.deploy(beforeCustomRules(live.initial));
    const [blue, green] = ['IngressBlueTargetGroup', 'IngressGreenTargetGroup'].map((prefix) => stack.ref(logicalId(live.initial, prefix)));
    elb.release(stack.ref('IngressProductionRuleA537B4D9'), stack.ref('IngressTestRuleF5264E4D'));
    elb.watchedHost = 'be.example.com';

    // WHEN
    await stack.deploy(live.initial);

    // THEN: at every step of the update production reached green; the old rules are gone, the new ones hold the weights.
    expect(new Set(elb.productionTrail)).toEqual(new Set([green]));
    const listener = stack.ref(logicalId(live.initial, 'IngressLoadBalancerHttpsListener'));
    expect(
      elb
        .rulesOf(listener)
        .map((r) => r.Priority)
        .sort(),
    ).toEqual(['15', '5']);
    expect(elb.weights(stack.ref(logicalId(live.initial, 'IngressProductionRule')))).toEqual({ [blue!]: 0, [green!]: 100 });
    expect(elb.route('be.example.com', { 'x-berth-test': 'green' })).toBe(blue);
  });
});

describe("a cdk deploy of the shared stack never writes live's recorded release", () => {
  const name = '/berth/berth/live/image-tag';
  const shared = {
    initial: sharedTemplate(),
    // the one property of the parameter that config changes.
    changed: sharedTemplate((raw) => {
      (raw.environments as Environments).live.initialImageTag = 'v1.0.1';
    }),
  };
  let store: FakeParameterStore;
  let stack: StackDeployments;
  const ssm = new SSMClient({ region: 'eu-west-1' });

  beforeEach(async () => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    store = new FakeParameterStore().install();
    stack = new StackDeployments();
    // GIVEN: the shared stack created, then a release promoted and recorded by the CLI.
    store.writer = 'arn:aws:sts::123456789012:assumed-role/cfn-exec/CloudFormation';
    await stack.deploy(shared.initial);
    store.writer = 'arn:aws:sts::123456789012:assumed-role/releaser/alice';
    await writeImageTag(ssm, name, 'v1.2.3');
  });

  test('the parameter is created with the initial release for live to resolve on its first deploy', () => {
    // THEN
    expect(store.history(name).map((v) => v.value)).toEqual(['v1.0.0', 'v1.2.3']);
  });

  test('a changed initialImageTag on the next deploy leaves the promoted release', async () => {
    // WHEN
    await stack.deploy(shared.changed);

    // THEN
    expect(store.latest(name)).toMatchObject({ value: 'v1.2.3', version: 2 });
  });

  test('a changed description or tag on the next deploy leaves the promoted release, and the tag is applied', async () => {
    // GIVEN: a later berth renders the parameter with other tags and description.
    const later = structuredClone(shared.initial) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    const [id] = Object.entries(later.Resources).find(([, r]) => JSON.stringify(r.Properties ?? {}).includes(name))!;
    const properties = later.Resources[id]!.Properties;
    properties.Description = 'a description of a later berth';
    if (Array.isArray(properties.Tags)) properties.Tags = [{ Key: 'team', Value: 'payments' }];
    else properties.Tags = { team: 'payments' };

    // WHEN
    await stack.deploy(later);

    // THEN
    expect(store.latest(name)).toMatchObject({ value: 'v1.2.3', version: 2 });
    expect(store.tagsFor(name)).toEqual({ team: 'payments' });
  });

  test('deleting the shared stack keeps the parameter, and a new shared stack adopts it with its history', async () => {
    // WHEN
    await stack.destroy();
    const again = new StackDeployments();
    await again.deploy(shared.changed);

    // THEN: nothing was written; the history is the releases, created by the first stack, then the CLI.
    expect(store.history(name).map((v) => [v.version, v.value])).toEqual([
      [1, 'v1.0.0'],
      [2, 'v1.2.3'],
    ]);
    expect(store.tagsFor(name)).toEqual({ 'berth:app': 'berth' });
  });

  test('a shared stack that still holds the parameter as AWS::SSM::Parameter is refused before anything changes', async () => {
    // GIVEN: the earlier berth's shared stack, under the same logical id, with a release recorded since.
    const earlier = structuredClone(shared.initial) as { Resources: Record<string, unknown> };
    earlier.Resources.ReleaseStateImageTagParameter7E370E3B = {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Name: name,
        Type: 'String',
        Value: 'v1.0.0',
        AllowedPattern: '^v.*$',
        Tier: 'Standard',
        Tags: { 'berth:app': 'berth' },
      },
    };
    resetAwsMocks();
    store = new FakeParameterStore().install();
    stack = new StackDeployments();
    await stack.deploy(earlier as TemplateJson);
    await writeImageTag(ssm, name, 'v1.2.3');

    // WHEN / THEN: CloudFormation refuses the type change, so it neither deletes nor writes the parameter.
    await expect(stack.deploy(shared.initial)).rejects.toThrow(
      /Update of resource type is not permitted.*ReleaseStateImageTagParameter7E370E3B/,
    );
    expect(store.history(name).map((v) => v.value)).toEqual(['v1.0.0', 'v1.2.3']);
  });
});
