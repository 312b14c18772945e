import 'aws-sdk-client-mock-jest';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { RefusedError } from '../../../scripts/core/errors';
import {
  ACTIVE_DEPLOYMENT_STATUSES,
  containerImageOf,
  describeDeployment,
  describeRevision,
  listActiveDeployments,
  readService,
} from '../../../scripts/aws/service';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const ecs = new ECSClient({ region: 'eu-west-1' });

beforeEach(() => resetAwsMocks());

describe('readService', () => {
  test('returns the task definition, counts, strategy and current deployment of the service', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'berth-live-Service',
          serviceArn: manifest.service.arn,
          status: 'ACTIVE',
          taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:7',
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          currentServiceDeployment: 'arn:deployment/1',
          currentServiceRevisions: [{ arn: 'arn:revision/1' }],
          deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: 10 },
          events: [{ createdAt: new Date(0), message: 'has reached a steady state.' }],
        },
      ],
    });

    // WHEN
    const service = await readService(ecs, manifest);

    // THEN
    expect(service).toMatchObject({
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:7',
      desiredCount: 2,
      runningCount: 2,
      pendingCount: 0,
      strategy: 'BLUE_GREEN',
      bakeTimeInMinutes: 10,
      currentServiceDeployment: 'arn:deployment/1',
      currentServiceRevisions: ['arn:revision/1'],
    });
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: manifest.cluster.arn, services: [manifest.service.arn] });
  });

  test('a missing service is a refusal that says to redeploy the stack', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });

    // WHEN / THEN
    await expect(readService(ecs, manifest)).rejects.toThrow(RefusedError);
    await expect(readService(ecs, manifest)).rejects.toThrow(/is missing; redeploy the stack \(npx cdk deploy berth-live\)/);
  });
});

describe('listActiveDeployments', () => {
  test('asks only for moving deployments, follows pages and sorts newest first', async () => {
    // GIVEN
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'old', createdAt: new Date(1000) }], nextToken: 'next' })
      .resolvesOnce({ serviceDeployments: [{ serviceDeploymentArn: 'new', createdAt: new Date(2000) }] });

    // WHEN
    const found = await listActiveDeployments(ecs, manifest);

    // THEN
    expect(found.map((d) => d.serviceDeploymentArn)).toEqual(['new', 'old']);
    expect(aws.ecs).toHaveReceivedCommandWith(ListServiceDeploymentsCommand, {
      status: [...ACTIVE_DEPLOYMENT_STATUSES],
      service: manifest.service.arn,
    });
    expect(aws.ecs).toHaveReceivedCommandWith(ListServiceDeploymentsCommand, { nextToken: 'next' });
  });
});

describe('describeDeployment and describeRevision', () => {
  test('return the first result and the application container image', async () => {
    // GIVEN
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ serviceDeploymentArn: 'd', status: 'IN_PROGRESS' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [
        {
          containerImages: [
            { containerName: 'sidecar', image: 'x' },
            { containerName: 'app', image: 'repo:v1.0.0', imageDigest: 'sha256:aa' },
          ],
        },
      ],
    });

    // WHEN
    const deployment = await describeDeployment(ecs, 'd');
    const revision = await describeRevision(ecs, 'r');

    // THEN
    expect(deployment?.status).toBe('IN_PROGRESS');
    expect(containerImageOf(revision, 'app')).toEqual({ containerName: 'app', image: 'repo:v1.0.0', imageDigest: 'sha256:aa' });
    expect(containerImageOf(undefined, 'app')).toBeUndefined();
  });
});
