import {
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServiceDeploymentsCommand,
} from '@aws-sdk/client-ecs';
import { type DeploymentStateChangeEvent, notify, tagOrDigest } from '../../../infra/handlers/release-notification';
import { RELEASE_TAGS } from '../../../infra/release-tags';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const CLUSTER = 'berth-live-CapacityCluster-XyZ';
const SERVICE = 'berth-live-Service-AbC';
const SERVICE_ARN = `arn:aws:ecs:eu-west-1:123456789012:service/${CLUSTER}/${SERVICE}`;
const REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
const STARTED_BY = 'arn:aws:sts::123456789012:assumed-role/berth-live-releaser/alice https://github.com/acme/app/actions/runs/42';
const RELEASE_URL = 'https://github.com/acme/app/releases/tag/v1.4.0';
const ecs = new ECSClient({ region: 'eu-west-1' });

/** ECS's event, as the developer guide shows it (ecs_service_deployment_events). */
function event(eventName: string, reason?: string): DeploymentStateChangeEvent {
  return {
    'detail-type': 'ECS Deployment State Change',
    resources: [SERVICE_ARN],
    time: '2026-12-03T07:00:00Z',
    detail: {
      eventType: eventName === 'SERVICE_DEPLOYMENT_FAILED' ? 'ERROR' : 'INFO',
      eventName,
      deploymentId: 'ecs-svc/1234567890',
      ...(reason === undefined ? {} : { reason }),
    },
  };
}

/** The service lists the deployment, and its revision is `family:7` with this image and these tags. */
function listed(image: string, tags: Record<string, string>) {
  aws.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceArn: SERVICE_ARN,
        deployments: [
          { id: 'ecs-svc/1111111111', taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:6' },
          { id: 'ecs-svc/1234567890', taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:7' },
        ],
      },
    ],
  });
  revision(7, image, tags);
}

function revision(number: number, image: string, tags: Record<string, string>) {
  aws.ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      family: 'berth-live',
      revision: number,
      containerDefinitions: [
        { name: 'app', image },
        { name: 'sidecar', image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0' },
      ],
    },
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  });
}

const settings = { environment: 'live', containerName: 'app' };

describe('the release notification function', () => {
  beforeEach(() => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  test('a promotion that succeeded: the tag, the revision, who started it and the release page, in Chatbot’s format', async () => {
    // GIVEN
    listed(`${REPOSITORY}:v1.4.0`, { [RELEASE_TAGS.startedBy]: STARTED_BY, [RELEASE_TAGS.releaseUrl]: RELEASE_URL });

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_COMPLETED'), settings);

    // THEN
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: [SERVICE_ARN] });
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, {
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:7',
      include: ['TAGS'],
    });
    expect(message).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'ecs-svc/1234567890/SERVICE_DEPLOYMENT_COMPLETED',
      content: {
        textType: 'client-markdown',
        title: 'live: release succeeded',
        description: [
          'environment: live',
          'outcome: succeeded',
          'image: v1.4.0',
          'revision: berth-live:7',
          `started by: ${STARTED_BY}`,
          `release: ${RELEASE_URL}`,
          'deployment: ecs-svc/1234567890 at 2026-12-03T07:00:00Z',
        ].join('\n'),
      },
      metadata: { threadId: 'ecs-svc/1234567890', summary: 'live: release succeeded', eventType: 'SERVICE_DEPLOYMENT_COMPLETED' },
    });
  });

  test('pre’s release names the digest its revision pins, and no release page', async () => {
    // GIVEN
    listed(`${REPOSITORY}@sha256:${'a'.repeat(64)}`, { [RELEASE_TAGS.startedBy]: 'arn:aws:sts::123456789012:assumed-role/ci/run' });

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_IN_PROGRESS', 'ECS deployment ecs-svc/1234567890 in progress.'), {
      ...settings,
      environment: 'pre',
    });

    // THEN
    expect(message.content.title).toBe('pre: release started');
    expect(message.content.description.split('\n')).toEqual([
      'environment: pre',
      'outcome: started',
      `image: sha256:${'a'.repeat(64)}`,
      'revision: berth-live:7',
      'started by: arn:aws:sts::123456789012:assumed-role/ci/run',
      'deployment: ecs-svc/1234567890 at 2026-12-03T07:00:00Z',
    ]);
  });

  test('a failed release says ECS’s reason', async () => {
    // GIVEN
    listed(`${REPOSITORY}:v1.4.0`, { [RELEASE_TAGS.startedBy]: STARTED_BY });
    const reason = 'ECS deployment circuit breaker: tasks failed to start.';

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_FAILED', reason), settings);

    // THEN
    expect(message.content.title).toBe('live: release failed');
    expect(message.content.description.split('\n').slice(0, 3)).toEqual(['environment: live', 'outcome: failed', `reason: ${reason}`]);
  });

  test('a rollback ECS starts is named a rollback, with its reason', async () => {
    // GIVEN
    listed(`${REPOSITORY}:v1.3.0`, {});
    const reason = 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1111111111.';

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_IN_PROGRESS', reason), settings);

    // THEN
    expect(message.content.title).toBe('live: rollback started');
    expect(message.content.description).toContain(`reason: ${reason}`);
    expect(message.content.description).toContain('started by: not recorded');
  });

  test('a failed deployment ECS no longer lists is found as the newest rolled-back service deployment, and its target revision', async () => {
    // GIVEN the service lists only the rollback's deployment; ECS keeps the service deployments, with ids of their own
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceArn: SERVICE_ARN, deployments: [{ id: 'ecs-svc/999' }] }] });
    const deployment = (id: string, status: string, createdAt: string, revision: string) => ({
      serviceDeploymentArn: `arn:aws:ecs:eu-west-1:123456789012:service-deployment/${CLUSTER}/${SERVICE}/${id}`,
      targetServiceRevisionArn: `arn:aws:ecs:eu-west-1:123456789012:service-revision/${CLUSTER}/${SERVICE}/${revision}`,
      status: status as 'SUCCESSFUL',
      createdAt: new Date(createdAt),
    });
    aws.ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        deployment('older-rollback', 'ROLLBACK_SUCCESSFUL', '2026-11-01T10:00:00Z', '111'),
        deployment('this-one', 'ROLLBACK_SUCCESSFUL', '2026-12-03T06:40:00Z', '555'),
        deployment('earlier-success', 'SUCCESSFUL', '2026-12-02T10:00:00Z', '444'),
      ],
    });
    aws.ecs
      .on(DescribeServiceRevisionsCommand, {
        serviceRevisionArns: [`arn:aws:ecs:eu-west-1:123456789012:service-revision/${CLUSTER}/${SERVICE}/555`],
      })
      .resolves({ serviceRevisions: [{ taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:5' }] });
    revision(5, `${REPOSITORY}:v1.2.0`, { [RELEASE_TAGS.startedBy]: STARTED_BY });

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_FAILED', 'alarm berth-live-5xx went off'), settings);

    // THEN
    expect(aws.ecs).toHaveReceivedCommandWith(ListServiceDeploymentsCommand, { cluster: CLUSTER, service: SERVICE });
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, {
      taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:5',
    });
    expect(message.content.description).toContain('revision: berth-live:5');
    expect(message.content.description).toContain('image: v1.2.0');
  });

  test('with no service deployment that fits the event, the message says the revision could not be read rather than guess', async () => {
    // GIVEN only an older success is listed for a release that just started
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceArn: SERVICE_ARN, deployments: [] }] });
    aws.ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [{ serviceDeploymentArn: 'arn:aws:ecs:eu-west-1:123456789012:service-deployment/c/s/x', status: 'SUCCESSFUL' }],
    });

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_IN_PROGRESS'), settings);

    // THEN
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeTaskDefinitionCommand);
    expect(message.content.description).toContain(
      `details: the revision could not be read (Error: no service deployment of ${SERVICE} fits SERVICE_DEPLOYMENT_IN_PROGRESS of ecs-svc/1234567890)`,
    );
  });

  test('when the revision cannot be read the message still goes out, with what the event alone says', async () => {
    // GIVEN
    aws.ecs
      .on(DescribeServicesCommand)
      .rejects(Object.assign(new Error('User is not authorized to perform ecs:DescribeServices'), { name: 'AccessDeniedException' }));

    // WHEN
    const message = await notify(ecs, event('SERVICE_DEPLOYMENT_FAILED', 'tasks failed to start'), settings);

    // THEN
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeTaskDefinitionCommand);
    expect(message.content.title).toBe('live: release failed');
    expect(message.content.description.split('\n')).toEqual([
      'environment: live',
      'outcome: failed',
      'reason: tasks failed to start',
      'details: the revision could not be read (AccessDeniedException: User is not authorized to perform ecs:DescribeServices)',
      'deployment: ecs-svc/1234567890 at 2026-12-03T07:00:00Z',
    ]);
  });

  test('an event without a service still gets its fallback message', async () => {
    // WHEN
    const message = await notify(ecs, { ...event('SERVICE_DEPLOYMENT_COMPLETED'), resources: [] }, settings);

    // THEN
    expect(aws.ecs).not.toHaveReceivedAnyCommand();
    expect(message.content.description).toContain('details: the revision could not be read (Error: the event names no service)');
  });
});

describe('tagOrDigest', () => {
  test.each([
    [`${'1'.repeat(12)}.dkr.ecr.eu-west-1.amazonaws.com/berth:v1.4.0`, 'v1.4.0'],
    [`${'1'.repeat(12)}.dkr.ecr.eu-west-1.amazonaws.com/berth@sha256:${'b'.repeat(64)}`, `sha256:${'b'.repeat(64)}`],
    ['localhost:5000/berth', 'latest'],
    ['localhost:5000/berth:master', 'master'],
  ])('%s is %s', (image, expected) => {
    expect(tagOrDigest(image)).toBe(expected);
  });
});
