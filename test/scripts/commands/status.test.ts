import 'aws-sdk-client-mock-jest';
import { DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { DescribeServiceDeploymentsCommand, DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { DescribeRulesCommand, DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { EXIT } from '../../../scripts/core/errors';
import { exampleManifest, forwardAction } from '../../_helpers/manifest';
import { aws } from '../../_helpers/mock-aws';
import { deploymentArn, digestOf, expectNoWrites, setUpWorld, writeConfig } from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
let config: string;

beforeAll(() => {
  config = writeConfig(true);
});
beforeEach(() => setUpWorld());

const env = () => ({ BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' });

function moving(status: string, lifecycleStage: string) {
  return {
    services: [
      {
        serviceName: 'berth-live-Service',
        status: 'ACTIVE',
        taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:7',
        desiredCount: 2,
        runningCount: 3,
        pendingCount: 1,
        currentServiceDeployment: deploymentArn('live', 'moving'),
        currentServiceRevisions: [{ arn: 'arn:revision/running' }],
        deploymentConfiguration: { strategy: 'BLUE_GREEN' as const, bakeTimeInMinutes: 5 },
      },
    ],
    status,
    lifecycleStage,
  };
}

describe('berth status', () => {
  test('shows revision, image, digest, recorded tag, deployment, task counts, target health and URL, and changes nothing', async () => {
    // GIVEN one unhealthy green target
    aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: exampleManifest('live').targetGroups.green }).resolves({
      TargetHealthDescriptions: [
        {
          Target: { Id: 'i-0def', Port: 32770 },
          TargetHealth: {
            State: 'unhealthy',
            Reason: 'Target.ResponseCodeMismatch',
            Description: 'Health checks failed with these codes: [502]',
          },
        },
      ],
    });

    // WHEN
    const { code, out } = await runBerth(['status', 'live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('berth live  https://be.example.com');
    expect(out).toContain('service     berth-live-Service (ACTIVE, BLUE_GREEN, bake 5m)');
    expect(out).toContain('revision    berth-live:7');
    expect(out).toContain(`image       ${REPO}:v1.3.0`);
    expect(out).toContain(`digest      ${digestOf('v1.3.0')}`);
    expect(out).toContain('image tag   v1.3.0 in /berth/berth/live/image-tag (version 2)');
    expect(out).toContain('deployment  SUCCESSFUL at CLEAN_UP (old, finished 2026-11-02T12:00:00.000Z)');
    expect(out).toContain('tasks       desired 2, running 2, pending 0');
    expect(out).toContain('scaling     fixed at 2 tasks (no autoScaling in the config)');
    expect(out).toMatch(/ {2}blue {3}berth-live-blue {3}1\/1/);
    expect(out).toMatch(/ {2}green {2}berth-live-green {2}0\/1/);
    expect(out).toContain('    green i-0def:32770 unhealthy Target.ResponseCodeMismatch (Health checks failed with these codes: [502])');
    expectNoWrites();
  });

  test('--json prints one document with the same facts', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre' });

    // WHEN
    const { code, out, err } = await runBerth(['status', 'pre', '--json'], { env: env() });

    // THEN
    expect(err).toBe('');
    expect(code).toBe(EXIT.OK);
    const document = JSON.parse(out);
    expect(document).toMatchObject({
      environment: 'pre',
      url: 'https://pre-be.example.com',
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-pre:7',
      image: `${REPO}@${digestOf('old-master')}`,
      digest: digestOf('old-master'),
      service: { desiredCount: 2, runningCount: 2, pendingCount: 0, strategy: 'BLUE_GREEN' },
      deployment: { status: 'SUCCESSFUL' },
    });
    expect(document.targetGroups).toHaveLength(2);
    expect(document.imageTag).toBeUndefined();
  });

  test('shows which target group serves production and where the test rule points', async () => {
    // WHEN: one release since the stack was created (production on green).
    const { out } = await runBerth(['status', 'live'], { env: env() });

    // THEN
    expect(out).toContain('traffic     production → green (blue 0, green 100), test → blue (blue 100, green 0)');
    expect(out).not.toContain('note:');
  });

  test('notes when production goes to a target group without healthy targets while the other has them', async () => {
    // GIVEN: production sent back to blue, where no task runs.
    const manifest = exampleManifest('live');
    aws.elbv2
      .on(DescribeRulesCommand, { RuleArns: [manifest.rules.production] })
      .resolves({ Rules: [{ Actions: [forwardAction(manifest, 100, 0)] }] });
    aws.elbv2.on(DescribeTargetHealthCommand, { TargetGroupArn: manifest.targetGroups.blue }).resolves({ TargetHealthDescriptions: [] });

    // WHEN
    const { code, out } = await runBerth(['status', 'live', '--json'], { env: env() });

    // THEN: status reports, it does not fail.
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out).traffic.problems).toEqual([
      expect.objectContaining({
        status: 'fail',
        problem: 'production goes to blue, which has no healthy target, while green has 1: requests get 503',
      }),
    ]);
  });

  test('notes when live runs a release the image tag does not record yet', async () => {
    // GIVEN a promote whose parameter write did not happen
    setUpWorld({ runningTag: 'v1.4.0' });

    // WHEN
    const { out } = await runBerth(['status', 'live'], { env: env() });

    // THEN
    expect(out).toContain(
      'note: live runs v1.4.0 but /berth/berth/live/image-tag says v1.3.0; record it with berth promote live --tag v1.4.0',
    );
  });

  test('--watch follows a deployment in progress to the end', async () => {
    // GIVEN
    const { services } = moving('IN_PROGRESS', 'BAKE_TIME');
    aws.ecs.on(DescribeServicesCommand).resolves({ services });
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({
        serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'moving'), status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }],
      })
      .resolvesOnce({
        serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'moving'), status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }],
      })
      .resolves({
        serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'moving'), status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }],
      });

    // WHEN
    const { code, out, err } = await runBerth(['status', 'live', '--watch'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('deployment  IN_PROGRESS at BAKE_TIME (moving');
    expect(err).toContain('IN_PROGRESS · stage BAKE_TIME');
    expect(out).toContain('deployment moving: SUCCESSFUL at CLEAN_UP');
    expectNoWrites();
  });

  test('--watch exits 4 when the deployment is rolled back', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: moving('IN_PROGRESS', 'PRODUCTION_TRAFFIC_SHIFT').services });
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'moving'), status: 'ROLLBACK_IN_PROGRESS' }] })
      .resolves({
        serviceDeployments: [
          { serviceDeploymentArn: deploymentArn('live', 'moving'), status: 'ROLLBACK_SUCCESSFUL', statusReason: 'alarm' },
        ],
      });

    // WHEN
    const { code, err } = await runBerth(['status', 'live', '--watch'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('berth status: deployment moving ended ROLLBACK_SUCCESSFUL: alarm');
  });

  test.each([
    [['status'], 'missing environment; allowed: pre, live'],
    [['status', 'prod'], 'unknown environment "prod"; allowed: pre, live'],
  ])('%j is a usage error', async (argv, message) => {
    // WHEN
    const { code, err } = await runBerth(argv, { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain(message);
  });
});

describe('berth status with task auto-scaling', () => {
  test('shows the scaling range and the desired count, and notes a service held at maxTasks with scale-in suspended', async () => {
    // GIVEN a service at 2 tasks whose range is 2..2, with scale-in suspended by an operator
    setUpWorld({ scaling: { min: 2, max: 2, scaleInSuspended: true } });

    // WHEN
    const { code, out } = await runBerth(['status', 'live'], { env: env() });
    const json = await runBerth(['status', 'live', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('scaling     2..2 tasks, desired 2 (at maxTasks; scale-in suspended)');
    expect(JSON.parse(json.out).scaling).toEqual({ autoScaling: true, minTasks: 2, maxTasks: 2, suspended: ['scale-in'] });
  });

  test('a range berth may not read is shown as unknown with the permission; the rest of status still prints', async () => {
    // GIVEN
    aws.applicationAutoScaling
      .on(DescribeScalableTargetsCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    // WHEN
    const { code, out } = await runBerth(['status', 'live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('scaling     unknown (AWS denied application-autoscaling:DescribeScalableTargets');
    expect(out).toContain('revision    berth-live:7');
  });
});
