import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from '@aws-sdk/client-ecs';
import { runStandaloneTask, serviceSubnets, stopTask, waitForExecAgent } from '../../../scripts/aws/standalone-task';
import { EXIT } from '../../../scripts/core/errors';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const ecs = new ECSClient({ region: 'eu-west-1' });
const manifest = exampleManifest('pre');
const TASK_ARN = 'arn:aws:ecs:eu-west-1:123456789012:task/berth-pre-Cluster/abc';

beforeEach(() => resetAwsMocks());

describe('serviceSubnets', () => {
  test("returns the subnets of the service's awsvpc configuration", async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [{ status: 'ACTIVE', networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1', 'subnet-2'] } } }],
    });
    // WHEN / THEN
    await expect(serviceSubnets(ecs, manifest)).resolves.toEqual(['subnet-1', 'subnet-2']);
  });

  test('refuses, naming the stack to redeploy, when the service is missing', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });
    // WHEN / THEN
    await expect(serviceSubnets(ecs, manifest)).rejects.toMatchObject({
      exitCode: EXIT.REFUSED,
      message: 'service berth-pre-Service is missing; redeploy the stack (npx cdk deploy berth-pre)',
    });
  });
});

describe('runStandaloneTask', () => {
  test("a placement failure carries ECS's reason and detail", async () => {
    // GIVEN
    aws.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'RESOURCE:ENI', detail: 'no free ENI' }] });
    // WHEN / THEN
    await expect(
      runStandaloneTask(ecs, {
        cluster: 'c',
        taskDefinition: 'berth-pre-db-client',
        capacityProvider: 'cp',
        subnets: ['s'],
        securityGroups: ['sg'],
        startedBy: 'test',
      }),
    ).rejects.toMatchObject({ exitCode: EXIT.FAILED, message: expect.stringContaining('RESOURCE:ENI (no free ENI)') });
  });
});

describe('waitForExecAgent', () => {
  test('gives up at the deadline without waiting longer', async () => {
    // GIVEN
    aws.ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: TASK_ARN, lastStatus: 'PENDING' }] });
    // WHEN
    const state = await waitForExecAgent(ecs, 'c', TASK_ARN, 'client', {
      intervalMs: 1,
      timeoutSeconds: 0,
      signal: new AbortController().signal,
    });
    // THEN
    expect(state).toBe('timed-out');
  });

  test('a running task whose agent is not running yet is not ready', async () => {
    // GIVEN
    aws.ecs
      .on(DescribeTasksCommand)
      .resolvesOnce({
        tasks: [
          {
            taskArn: TASK_ARN,
            lastStatus: 'RUNNING',
            containers: [{ name: 'client', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'PENDING' }] }],
          },
        ],
      })
      .resolves({
        tasks: [
          {
            taskArn: TASK_ARN,
            lastStatus: 'RUNNING',
            containers: [{ name: 'client', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }],
          },
        ],
      });
    // WHEN
    const state = await waitForExecAgent(ecs, 'c', TASK_ARN, 'client', {
      intervalMs: 1,
      timeoutSeconds: 60,
      signal: new AbortController().signal,
    });
    // THEN
    expect(state).toBe('ready');
    expect(aws.ecs).toHaveReceivedCommandTimes(DescribeTasksCommand, 2);
  });
});

describe('stopTask', () => {
  test('names the IAM permission when AWS denies it', async () => {
    // GIVEN
    aws.ecs.on(StopTaskCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    // WHEN / THEN
    await expect(stopTask(ecs, 'c', TASK_ARN, 'test')).rejects.toMatchObject({
      exitCode: EXIT.REFUSED,
      message: expect.stringContaining('ecs:StopTask'),
    });
  });
});
