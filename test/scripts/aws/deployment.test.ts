import 'aws-sdk-client-mock-jest';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { followDeployment, startDeployment } from '../../../scripts/aws/deployment';
import { formatSnapshot, shortArn } from '../../../scripts/cli/format';
import { EXIT, FailedError } from '../../../scripts/core/errors';
import { formatDuration } from '../../../scripts/core/timing';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const ecs = new ECSClient({ region: 'eu-west-1' });
const elbv2 = new ElasticLoadBalancingV2Client({ region: 'eu-west-1' });

beforeEach(() => {
  resetAwsMocks();
  aws.elbv2
    .on(DescribeTargetHealthCommand)
    .resolves({ TargetHealthDescriptions: [{ Target: { Id: 'i-1' }, TargetHealth: { State: 'healthy' } }] });
});

/** A clock that moves a minute per look. */
function minuteClock() {
  let t = 0;
  return () => (t += 60_000);
}

describe('startDeployment', () => {
  const wait = { intervalMs: 1, signal: new AbortController().signal, attempts: 3 };

  beforeEach(() => {
    aws.ecs
      .on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: ['arn:d/old'] })
      .resolves({ serviceDeployments: [{ targetServiceRevision: { arn: 'arn:r/old' } }] });
    aws.ecs
      .on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: ['arn:d/new'] })
      .resolves({ serviceDeployments: [{ targetServiceRevision: { arn: 'arn:r/new' } }] });
    aws.ecs
      .on(DescribeServiceRevisionsCommand, { serviceRevisionArns: ['arn:r/old'] })
      .resolves({ serviceRevisions: [{ taskDefinition: 'td:7' }] });
    aws.ecs
      .on(DescribeServiceRevisionsCommand, { serviceRevisionArns: ['arn:r/new'] })
      .resolves({ serviceRevisions: [{ taskDefinition: 'td:8' }] });
    aws.ecs.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
  });

  test('updates the service to the revision and returns the deployment towards it', async () => {
    // GIVEN
    aws.ecs.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: 'arn:d/new' } });

    // WHEN / THEN
    await expect(startDeployment(ecs, manifest, 'td:8', wait)).resolves.toBe('arn:d/new');
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: manifest.cluster.arn,
      service: manifest.service.arn,
      taskDefinition: 'td:8',
    });
  });

  test('never takes the previous deployment for the new one, and finds the new one among the moving deployments', async () => {
    // GIVEN UpdateService still names the finished deployment; the new one shows up on the second look
    aws.ecs.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: 'arn:d/old' } });
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [] })
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: 'arn:d/new', createdAt: new Date(2) }] });

    // WHEN / THEN
    await expect(startDeployment(ecs, manifest, 'td:8', wait)).resolves.toBe('arn:d/new');
  });

  test('fails with how to watch when no deployment towards the revision appears', async () => {
    // GIVEN
    aws.ecs.on(UpdateServiceCommand).resolves({ service: { currentServiceDeployment: 'arn:d/old' } });

    // WHEN
    const started = startDeployment(ecs, manifest, 'td:8', wait);

    // THEN: a known condition after a write is a failure (exit 4), not an unexpected error (exit 1).
    await expect(started).rejects.toThrow(
      `updated berth-live-Service to td:8, but ECS shows no service deployment towards it yet; watch it with berth status live --watch`,
    );
    await expect(started).rejects.toMatchObject({ constructor: FailedError, exitCode: EXIT.FAILED });
  });
});

describe('followDeployment', () => {
  test('reports every look and ends SUCCESSFUL, timing the bake stage', async () => {
    // GIVEN
    aws.ecs
      .on(DescribeServiceDeploymentsCommand)
      .resolvesOnce({
        serviceDeployments: [{ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { bakeTimeInMinutes: 10 } }],
      })
      .resolvesOnce({
        serviceDeployments: [{ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME', deploymentConfiguration: { bakeTimeInMinutes: 10 } }],
      })
      .resolves({ serviceDeployments: [{ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }] });
    const lines: string[] = [];

    // WHEN
    const result = await followDeployment(ecs, elbv2, manifest, 'arn:d/1', {
      intervalMs: 1,
      timeoutSeconds: 3600,
      signal: new AbortController().signal,
      now: minuteClock(),
      onProgress: (s) => lines.push(formatSnapshot(s)),
    });

    // THEN
    expect(result.outcome).toBe('SUCCESSFUL');
    expect(lines).toEqual([
      '[1m00s] · IN_PROGRESS · stage BAKE_TIME · targets blue 1/1 healthy, green 1/1 healthy · bake 0s of 10m00s',
      '[2m00s] · IN_PROGRESS · stage BAKE_TIME · targets blue 1/1 healthy, green 1/1 healthy · bake 1m00s of 10m00s',
      '[3m00s] · SUCCESSFUL · stage CLEAN_UP · targets blue 1/1 healthy, green 1/1 healthy',
    ]);
  });

  test.each([['ROLLBACK_SUCCESSFUL'], ['ROLLBACK_FAILED'], ['STOPPED']] as const)('ends FAILED on %s', async (status) => {
    // GIVEN
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status }] });

    // WHEN
    const result = await followDeployment(ecs, elbv2, manifest, 'arn:d/1', {
      intervalMs: 1,
      timeoutSeconds: 60,
      signal: new AbortController().signal,
    });

    // THEN
    expect(result.outcome).toBe('FAILED');
    expect(result.last?.deployment.status).toBe(status);
  });

  test('ends TIMED_OUT once the timeout passed, without touching the deployment', async () => {
    // GIVEN
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'IN_PROGRESS' }] });

    // WHEN
    const result = await followDeployment(ecs, elbv2, manifest, 'arn:d/1', {
      intervalMs: 1,
      timeoutSeconds: 120,
      signal: new AbortController().signal,
      now: minuteClock(),
    });

    // THEN
    expect(result.outcome).toBe('TIMED_OUT');
    expect(aws.ecs).toHaveReceivedCommandTimes(DescribeServiceDeploymentsCommand, 2);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  test('ends INTERRUPTED on abort, even in the middle of a wait', async () => {
    // GIVEN
    const controller = new AbortController();
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'IN_PROGRESS' }] });
    setTimeout(() => controller.abort(), 20);

    // WHEN a long wait between looks
    const started = Date.now();
    const result = await followDeployment(ecs, elbv2, manifest, 'arn:d/1', {
      intervalMs: 60_000,
      timeoutSeconds: 3600,
      signal: controller.signal,
    });

    // THEN
    expect(result.outcome).toBe('INTERRUPTED');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  test('a deployment ECS does not know is an error', async () => {
    // GIVEN
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [] });

    // WHEN
    const followed = followDeployment(ecs, elbv2, manifest, 'arn:d/1', {
      intervalMs: 1,
      timeoutSeconds: 60,
      signal: new AbortController().signal,
    });

    // THEN
    await expect(followed).rejects.toThrow('service deployment arn:d/1 not found');
    await expect(followed).rejects.toBeInstanceOf(FailedError);
  });
});

describe('helpers', () => {
  test('format durations and ARNs the way operators read them', () => {
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(252)).toBe('4m12s');
    expect(formatDuration(3720)).toBe('1h02m');
    expect(shortArn('arn:aws:ecs:eu-west-1:1:service-deployment/c/s/abc')).toBe('abc');
  });
});
