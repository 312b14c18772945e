import { DescribeAutoScalingGroupsCommand, type LifecycleState } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeLaunchTemplateVersionsCommand, type _InstanceType } from '@aws-sdk/client-ec2';
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from '@aws-sdk/client-ecs';
import type { Manifest } from '../../infra/manifest';
import { aws } from './mock-aws';

/** One fake instance of an environment. */
export interface FakeInstance {
  readonly id: string;
  readonly az?: string;
  readonly imageId?: string;
  readonly publicIp?: string;
  readonly privateIp?: string;
  readonly lifecycleState?: string;
  readonly healthStatus?: string;
  /** undefined: not registered in the cluster. */
  readonly agentConnected?: boolean;
  readonly runningTasks?: number;
  readonly remainingCpu?: number;
  readonly remainingMemory?: number;
  /** @default 't4g.medium' */
  readonly instanceType?: string;
  /** MiB the agent registered. @default 3800 */
  readonly registeredMemory?: number;
  /** whether ECS gave it a trunk interface (ENI trunking). @default false */
  readonly trunk?: boolean;
}

/** The launch template's current AMI in the fakes. */
export const CURRENT_AMI = 'ami-0current000000000';

/**
 * Makes the Auto Scaling, EC2 and ECS mocks describe the given instances of an environment.
 * @param manifest the environment's manifest
 * @param instances the instances
 * @param templateImageId the launch template's image (an AMI id or a `resolve:ssm:` reference)
 */
export function givenInstances(manifest: Manifest, instances: readonly FakeInstance[], templateImageId: string = CURRENT_AMI): void {
  aws.autoScaling.on(DescribeAutoScalingGroupsCommand, { AutoScalingGroupNames: [manifest.autoScalingGroupName] }).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: manifest.autoScalingGroupName,
        MinSize: 1,
        MaxSize: 4,
        DesiredCapacity: instances.length,
        DefaultCooldown: 300,
        AvailabilityZones: ['eu-west-1a', 'eu-west-1b'],
        HealthCheckType: 'EC2',
        CreatedTime: new Date('2026-01-01T00:00:00Z'),
        Instances: instances.map((i) => ({
          InstanceId: i.id,
          AvailabilityZone: i.az ?? 'eu-west-1a',
          InstanceType: i.instanceType ?? 't4g.medium',
          LifecycleState: (i.lifecycleState ?? 'InService') as LifecycleState,
          HealthStatus: i.healthStatus ?? 'Healthy',
          ProtectedFromScaleIn: false,
        })),
      },
    ],
  });
  aws.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: instances.map((i) => ({
          InstanceId: i.id,
          Placement: { AvailabilityZone: i.az ?? 'eu-west-1a' },
          InstanceType: (i.instanceType ?? 't4g.medium') as _InstanceType,
          State: { Name: 'running', Code: 16 },
          PrivateIpAddress: i.privateIp ?? '10.20.1.10',
          PublicIpAddress: i.publicIp,
          ImageId: i.imageId ?? CURRENT_AMI,
          LaunchTime: new Date('2026-11-20T08:00:00Z'),
        })),
      },
    ],
  });
  aws.ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [
      {
        LaunchTemplateId: manifest.launchTemplateId,
        VersionNumber: 3,
        DefaultVersion: true,
        LaunchTemplateData: { ImageId: templateImageId },
      },
    ],
  });
  const registered = instances.filter((i) => i.agentConnected !== undefined);
  const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:container-instance/${manifest.cluster.name}/${id.replace('i-', 'ci')}`;
  aws.ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: registered.map((i) => arn(i.id)) });
  aws.ecs.on(DescribeContainerInstancesCommand).resolves({
    containerInstances: registered.map((i) => ({
      containerInstanceArn: arn(i.id),
      ec2InstanceId: i.id,
      agentConnected: i.agentConnected,
      status: 'ACTIVE',
      runningTasksCount: i.runningTasks ?? 1,
      pendingTasksCount: 0,
      remainingResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: i.remainingCpu ?? 1536 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: i.remainingMemory ?? 2800 },
      ],
      registeredResources: [
        { name: 'CPU', type: 'INTEGER', integerValue: 2048 },
        { name: 'MEMORY', type: 'INTEGER', integerValue: i.registeredMemory ?? 3800 },
      ],
      attributes: i.trunk ? [{ name: 'ecs.awsvpc-trunk-id', value: `eni-trunk${i.id.slice(2)}` }] : [],
    })),
  });
}
