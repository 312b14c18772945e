import { DescribeServicesCommand, ECSClient, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import type { CustomResourceEvent } from '../../../infra/handlers/custom-resource';
import { dispatch } from '../../../infra/handlers/index';
import { handleStartingTaskCount } from '../../../infra/handlers/starting-task-count';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const CLUSTER = 'berth-live-CapacityCluster-XyZ';
const SERVICE = 'berth-live-Service-AbC';
const ecs = new ECSClient({ region: 'eu-west-1' });

/** A request as CloudFormation sends it: every number arrives as a string. */
function event(
  requestType: CustomResourceEvent['RequestType'],
  properties: { service?: string; starting?: string } = {},
  physicalResourceId = `${CLUSTER}/${SERVICE}`,
): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'https://response.invalid/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/berth-live/1',
    RequestId: 'r1',
    ResourceType: 'Custom::BerthStartingTaskCount',
    LogicalResourceId: 'TaskScalingStartingTaskCount',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: physicalResourceId }),
    ResourceProperties: { Cluster: CLUSTER, Service: properties.service ?? SERVICE, StartingTaskCount: properties.starting ?? '3' },
  };
}

const runs = (desiredCount: number) => {
  aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: SERVICE, status: 'ACTIVE', desiredCount }] });
  // the mocks refuse a call nobody scripted; UpdateService answers with the service, as ECS does.
  aws.ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: SERVICE, status: 'ACTIVE' } });
};

describe('the starting task count handler', () => {
  beforeEach(() => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
  });

  test('raises a new service, which CloudFormation created with 1 task, to the starting count', async () => {
    // GIVEN
    runs(1);

    // WHEN
    const result = await handleStartingTaskCount(ecs, event('Create'));

    // THEN
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, { cluster: CLUSTER, services: [SERVICE] });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { cluster: CLUSTER, service: SERVICE, desiredCount: 3 });
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, 1);
    // a count, nothing else: no task definition, no deployment settings, no load balancers.
    expect(Object.keys(aws.ecs.commandCalls(UpdateServiceCommand)[0]!.args[0].input).sort()).toEqual([
      'cluster',
      'desiredCount',
      'service',
    ]);
    expect(result.physicalResourceId).toBe(`${CLUSTER}/${SERVICE}`);
  });

  test('never lowers a count: a running service auto-scaling is turned on for keeps its tasks', async () => {
    // GIVEN
    runs(5);

    // WHEN
    await handleStartingTaskCount(ecs, event('Create'));

    // THEN
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  test('an update (a new desiredTaskCount, or another stack change) leaves the count to Application Auto Scaling', async () => {
    // GIVEN
    runs(1);

    // WHEN
    const result = await handleStartingTaskCount(ecs, event('Update', { starting: '6' }));

    // THEN
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(result.physicalResourceId).toBe(`${CLUSTER}/${SERVICE}`);
  });

  test('an update that names a replaced service gives the new service its starting count', async () => {
    // GIVEN
    aws.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ serviceName: 'berth-live-Service-New', status: 'ACTIVE', desiredCount: 1 }] });
    aws.ecs.on(UpdateServiceCommand).resolves({ service: { serviceName: 'berth-live-Service-New', status: 'ACTIVE' } });

    // WHEN
    const result = await handleStartingTaskCount(ecs, event('Update', { service: 'berth-live-Service-New' }));

    // THEN
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: CLUSTER,
      service: 'berth-live-Service-New',
      desiredCount: 3,
    });
    expect(result.physicalResourceId).toBe(`${CLUSTER}/berth-live-Service-New`);
  });

  test('a delete changes nothing', async () => {
    // WHEN
    await handleStartingTaskCount(ecs, event('Delete'));

    // THEN
    expect(aws.ecs).not.toHaveReceivedAnyCommand();
  });

  test('fails the request, through the dispatcher, when the service is not active', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: SERVICE, reason: 'MISSING' }] });
    jest.spyOn(console, 'error').mockImplementation(() => undefined);

    // WHEN
    const response = await dispatch(event('Create'), { ecs } as never, async () => undefined);

    // THEN
    expect(response).toMatchObject({ Status: 'FAILED', Reason: `service ${SERVICE} of cluster ${CLUSTER} is not active` });
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });
});
