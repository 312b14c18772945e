import type { TaskDefinition } from '@aws-sdk/client-ecs';
import type { ServiceState } from '../../../scripts/aws/service';
import { describeFollowTimeout, followTimeout, trafficShiftMinutes } from '../../../scripts/release/timing';
import { exampleManifest } from '../../_helpers/manifest';

const manifest = exampleManifest('live');

function service(overrides: Partial<ServiceState>): ServiceState {
  return {
    name: 'berth-live-Service',
    arn: manifest.service.arn,
    status: 'ACTIVE',
    taskDefinition: 'td:7',
    desiredCount: 2,
    runningCount: 2,
    pendingCount: 0,
    currentServiceRevisions: [],
    strategy: 'BLUE_GREEN',
    events: [],
    ...overrides,
  };
}

const taskDefinition: TaskDefinition = {
  containerDefinitions: [{ name: 'app', healthCheck: { command: ['CMD', 'true'], startPeriod: 30 } }],
};
const stackTargetGroups = { intervalSeconds: 10, healthyThreshold: 2, deregistrationDelaySeconds: 30 };

describe('the default --timeout', () => {
  test.each([
    ["live's defaults (bake 10m): their timing plus 20 minutes", 10, 32 * 60],
    ['a bake of 29 minutes, which the old fixed 30 minutes always cut short', 29, 51 * 60],
    ["pre's defaults (bake 2m): never under the old 30 minutes", 2, 30 * 60],
  ])('%s', (_case, bakeMinutes, expected) => {
    // WHEN
    const timeout = followTimeout(service({ bakeTimeInMinutes: bakeMinutes }), taskDefinition, stackTargetGroups, manifest);

    // THEN: 30 s start + 10 s x 2 checks, the bake, 30 s draining, 20 minutes to place tasks.
    expect(timeout.seconds).toBe(expected);
    expect(timeout.seconds).toBeGreaterThan(bakeMinutes * 60 + 50 + 30);
    expect(timeout.from).toBe('release timing');
  });

  test('counts the traffic steps of a canary or linear deployment, as CloudFormation does', () => {
    expect(trafficShiftMinutes(service({ strategy: 'CANARY', canary: { canaryBakeTimeInMinutes: 15 } }))).toBe(15);
    expect(trafficShiftMinutes(service({ strategy: 'LINEAR', linear: { stepPercent: 25, stepBakeTimeInMinutes: 5 } }))).toBe(15);
    expect(trafficShiftMinutes(service({ strategy: 'LINEAR', linear: { stepPercent: 30, stepBakeTimeInMinutes: 4 } }))).toBe(12);
    expect(trafficShiftMinutes(service({ strategy: 'LINEAR' }))).toBe(54);
    expect(trafficShiftMinutes(service({ strategy: 'BLUE_GREEN' }))).toBe(0);
    expect(followTimeout(service({ strategy: 'LINEAR', bakeTimeInMinutes: 10 }), taskDefinition, stackTargetGroups, manifest).seconds).toBe(
      86 * 60,
    );
  });

  test("takes AWS's longer defaults when the target groups cannot be read, and says so", () => {
    // WHEN
    const timeout = followTimeout(service({ bakeTimeInMinutes: 10 }), taskDefinition, { unreadable: 'AWS denied it' }, manifest);

    // THEN: 30 s start + 30 s x 5 checks, 10 minutes bake, 300 s draining, 20 minutes.
    expect(timeout.timing).toMatchObject({ healthySeconds: 180, bakeSeconds: 600, deregistrationSeconds: 300 });
    expect(timeout.seconds).toBe(38 * 60);
    expect(describeFollowTimeout(timeout)).toBe(
      "38m00s (new target healthy 3m00s + bake 10m00s + draining 5m00s + 20m00s to place tasks; from ECS and AWS's defaults (AWS denied it))",
    );
  });

  test('is said in the plan, with the figures it comes from', () => {
    expect(describeFollowTimeout(followTimeout(service({ bakeTimeInMinutes: 2 }), taskDefinition, stackTargetGroups, manifest))).toBe(
      '30m00s (new target healthy 50s + bake 2m00s + draining 30s + 20m00s to place tasks, at least 30m; from ECS and the target groups)',
    );
    expect(describeFollowTimeout({ seconds: 7200, from: '--timeout' })).toBe('2h00m (--timeout)');
  });
});
