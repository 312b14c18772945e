import { FakeParameterStore } from '../_helpers/fake-parameter-store';
import { FakeEcsServices } from '../_helpers/fake-ecs-services';
import { FakeLoadBalancer } from '../_helpers/fake-load-balancer';
import { resetAwsMocks } from '../_helpers/mock-aws';
import { StackDeployments, type TemplateJson } from '../_helpers/stack-deployments';
import { synthBerth } from '../_helpers/synth';

type Raw = Record<string, unknown>;
type Environments = Record<string, Record<string, unknown>>;

/** live auto-scaled from 2 to 8 tasks, starting at 3 (8 instances hold a release at 8). */
const SCALING = { minTasks: 2, maxTasks: 8, targets: { cpuPercent: 60 } };

/** The live stack's template for the example config after an edit of live. */
function liveTemplate(change: (live: Raw) => void): TemplateJson {
  return synthBerth((raw) => change((raw.environments as Environments).live)).live.toJSON() as TemplateJson;
}

const scaled = (more: (live: Raw) => void = () => undefined) =>
  liveTemplate((live) => {
    live.maxCapacity = 8;
    live.desiredTaskCount = 3;
    live.autoScaling = { ...SCALING };
    more(live);
  });

const live = {
  fixed: liveTemplate(() => undefined),
  // the same with a longer bake: a property of the service, so CloudFormation updates it.
  fixedNewBake: liveTemplate((l) => {
    l.bakeMinutes = 15;
  }),
  scaled: scaled(),
  scaledNewBake: scaled((l) => {
    l.bakeMinutes = 15;
  }),
  scaledNewStartingCount: scaled((l) => {
    l.desiredTaskCount = 6;
  }),
  scaledToFive: scaled((l) => {
    l.autoScaling = { ...SCALING, maxTasks: 5 };
  }),
  scaledFromTwo: scaled((l) => {
    l.desiredTaskCount = 2;
  }),
};

describe('a cdk deploy of an auto-scaled live never scales it back in', () => {
  let ecs: FakeEcsServices;
  let stack: StackDeployments;

  beforeEach(async () => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    // the listener rules' handler needs a load balancer; the service's count is what these tests watch.
    new FakeLoadBalancer().install();
    ecs = new FakeEcsServices().install();
    // the stack's manifest parameter is written too: the mocks refuse a call nobody scripted.
    new FakeParameterStore().install();
    stack = new StackDeployments();
  });

  test('a new live starts with desiredTaskCount tasks', async () => {
    // WHEN: CloudFormation creates the service with 1 task, registers the scalable target, then the starting count.
    await stack.deploy(live.scaled);

    // THEN
    expect(ecs.desiredCount()).toBe(3);
  });

  test('after a scale-out to 7, a deploy that updates the service (a new bake time) keeps 7', async () => {
    // GIVEN
    await stack.deploy(live.scaled);
    ecs.scale(7);
    const updatesBefore = ecs.updates.length;

    // WHEN
    await stack.deploy(live.scaledNewBake);

    // THEN: CloudFormation updated the service, without a count, and nothing else set one.
    expect(ecs.updates.slice(updatesBefore)).toEqual([{ cluster: expect.any(String), service: expect.any(String) }]);
    expect(ecs.desiredCount()).toBe(7);
  });

  test('a changed desiredTaskCount changes nothing on a running service: it is the count of a new one', async () => {
    // GIVEN
    await stack.deploy(live.scaled);
    ecs.scale(4);

    // WHEN
    await stack.deploy(live.scaledNewStartingCount);

    // THEN
    expect(ecs.desiredCount()).toBe(4);
  });

  test('a deploy that lowers maxTasks below the running count moves it into the new range, and no further', async () => {
    // GIVEN
    await stack.deploy(live.scaled);
    ecs.scale(7);

    // WHEN
    await stack.deploy(live.scaledToFive);

    // THEN
    expect(ecs.desiredCount()).toBe(5);
  });

  test('turning auto-scaling on keeps the running count; turning it off sets desiredTaskCount again', async () => {
    // GIVEN: live with a fixed 2 tasks, then auto-scaling on, scaled out to 6.
    await stack.deploy(live.fixed);
    expect(ecs.desiredCount()).toBe(2);
    await stack.deploy(live.scaledFromTwo);
    expect(ecs.desiredCount()).toBe(2);
    ecs.scale(6);

    // WHEN
    await stack.deploy(live.fixed);

    // THEN
    expect(ecs.desiredCount()).toBe(2);
  });

  test('without auto-scaling, CloudFormation sets the template count at every update of the service: why it names none', async () => {
    // GIVEN: someone (or something) scaled the fixed service to 5.
    await stack.deploy(live.fixed);
    ecs.scale(5);

    // WHEN
    await stack.deploy(live.fixedNewBake);

    // THEN (aws/aws-cdk#3919, cloudformation-coverage-roadmap#187)
    expect(ecs.desiredCount()).toBe(2);
  });
});
