import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetInstanceProtectionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import type { CustomResourceEvent } from '../../../infra/handlers/custom-resource';
import { handleScaleInProtection } from '../../../infra/handlers/scale-in-protection';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const GROUP = 'berth-pre-CapacityAutoScalingGroupASG-AbC';
const CLUSTER = 'berth-pre-CapacityCluster-XyZ';
const clients = { autoScaling: new AutoScalingClient({ region: 'eu-west-1' }), ecs: new ECSClient({ region: 'eu-west-1' }) };

function event(requestType: CustomResourceEvent['RequestType']): CustomResourceEvent {
  return {
    RequestType: requestType,
    ResponseURL: 'https://response.invalid/',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/berth-pre/1',
    RequestId: 'r1',
    ResourceType: 'Custom::BerthScaleInProtection',
    LogicalResourceId: 'ServiceScaleInProtection',
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: GROUP }),
    ResourceProperties: { AutoScalingGroupName: GROUP, Cluster: CLUSTER },
  };
}

describe('the scale-in protection handler', () => {
  beforeEach(() => {
    resetAwsMocks();
    jest.spyOn(console, 'log').mockImplementation(() => undefined);
    aws.autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: GROUP,
          Instances: [
            { InstanceId: 'i-0aaa', ProtectedFromScaleIn: true },
            { InstanceId: 'i-0bbb', ProtectedFromScaleIn: false },
            { InstanceId: 'i-0ccc', ProtectedFromScaleIn: true },
          ],
        } as never,
      ],
    });
  });

  test('on the deletion of the stack, after the service, takes the protection off the instances and the new ones', async () => {
    // GIVEN: the service is gone (CloudFormation deleted it first).
    aws.ecs.on(ListServicesCommand).resolves({ serviceArns: [] });
    aws.autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    aws.autoScaling.on(SetInstanceProtectionCommand).resolves({});

    // WHEN
    await handleScaleInProtection(clients, event('Delete'));

    // THEN
    expect(aws.autoScaling).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: GROUP,
      NewInstancesProtectedFromScaleIn: false,
    });
    expect(aws.autoScaling).toHaveReceivedCommandWith(SetInstanceProtectionCommand, {
      AutoScalingGroupName: GROUP,
      InstanceIds: ['i-0aaa', 'i-0ccc'],
      ProtectedFromScaleIn: false,
    });
  });

  test('changes nothing while a service still runs in the cluster', async () => {
    // GIVEN
    aws.ecs.on(ListServicesCommand).resolves({ serviceArns: ['arn:aws:ecs:eu-west-1:123456789012:service/c/s'] });
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 's', status: 'ACTIVE' }] });

    // WHEN
    await handleScaleInProtection(clients, event('Delete'));

    // THEN
    expect(aws.autoScaling).not.toHaveReceivedCommand(UpdateAutoScalingGroupCommand);
    expect(aws.autoScaling).not.toHaveReceivedCommand(SetInstanceProtectionCommand);
  });

  test('a create or an update changes nothing', async () => {
    // WHEN
    const result = await handleScaleInProtection(clients, event('Create'));
    await handleScaleInProtection(clients, event('Update'));

    // THEN
    expect(result.physicalResourceId).toBe(GROUP);
    expect(aws.ecs).not.toHaveReceivedCommand(ListServicesCommand);
    expect(aws.autoScaling).not.toHaveReceivedCommand(SetInstanceProtectionCommand);
  });
});
