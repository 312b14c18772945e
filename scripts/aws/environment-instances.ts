import type { AutoScalingClient, AutoScalingGroup } from '@aws-sdk/client-auto-scaling';
import type { EC2Client } from '@aws-sdk/client-ec2';
import type { ContainerInstance, ECSClient } from '@aws-sdk/client-ecs';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Manifest } from '../../infra/manifest';
import { UsageError } from '../core/errors';
import { describeAutoScalingGroup } from './auto-scaling-group';
import { describeClusterInstances } from './container-instances';
import { describeInstances } from './ec2-instances';
import { launchTemplateImages, type LaunchTemplateImages } from './launch-template-image';

/** One instance of an environment, as `berth instances` shows it. */
export interface EnvironmentInstance {
  /** EC2 instance id. */
  readonly instanceId: string;
  /** availability zone. */
  readonly availabilityZone?: string;
  /** instance type. */
  readonly instanceType?: string;
  /** Auto Scaling lifecycle state, e.g. `InService`. */
  readonly lifecycleState?: string;
  /** Auto Scaling health, `Healthy` or `Unhealthy`. */
  readonly healthStatus?: string;
  /** EC2 state, e.g. `running`. */
  readonly state?: string;
  /** private IPv4 address. */
  readonly privateIp?: string;
  /** public IPv4 address, when it has one. */
  readonly publicIp?: string;
  /** the AMI it was launched from. */
  readonly imageId?: string;
  /** whether that AMI is the launch template's current one; undefined when the template's is unknown. */
  readonly imageCurrent?: boolean;
  /** when it was launched (ISO 8601). */
  readonly launchTime?: string;
  /** whether it is registered in the environment's ECS cluster. */
  readonly registered: boolean;
  /** whether its ECS agent is connected; undefined when not registered. */
  readonly agentConnected?: boolean;
  /** tasks running on it; undefined when not registered. */
  readonly runningTasks?: number;
  /** the ECS container instance, when registered. */
  readonly containerInstance?: ContainerInstance;
}

/** Clients the instance listing needs. */
export interface InstanceClients {
  /** Auto Scaling. */
  readonly autoScaling: AutoScalingClient;
  /** EC2. */
  readonly ec2: EC2Client;
  /** ECS. */
  readonly ecs: ECSClient;
  /** SSM, to resolve a launch template image given as an SSM parameter. */
  readonly ssm: SSMClient;
}

/** An environment's instances with the group and launch template they were compared with. */
export interface EnvironmentInstances {
  /** the Auto Scaling group. */
  readonly group: AutoScalingGroup;
  /** the launch template's current AMIs. */
  readonly images: LaunchTemplateImages;
  /** the group's instances, in the group's order. */
  readonly instances: EnvironmentInstance[];
  /** container instances registered in the cluster that are not in the group (for doctor). */
  readonly strangers: ContainerInstance[];
}

/**
 * Reads the environment's instances from the Auto Scaling group, EC2, the launch template and ECS.
 * @param clients the AWS clients
 * @param manifest the environment's manifest
 */
export async function listEnvironmentInstances(clients: InstanceClients, manifest: Manifest): Promise<EnvironmentInstances> {
  const group = await describeAutoScalingGroup(clients.autoScaling, manifest.autoScalingGroupName);
  const members = group.Instances ?? [];
  const ids = members.map((m) => m.InstanceId).filter((id): id is string => id !== undefined);
  const [ec2Instances, images, containerInstances] = await Promise.all([
    describeInstances(clients.ec2, ids),
    launchTemplateImages(clients.ec2, clients.ssm, manifest.launchTemplateId),
    describeClusterInstances(clients.ecs, manifest.cluster.name),
  ]);
  const current = new Set([images.defaultImageId, images.latestImageId].filter((i): i is string => i !== undefined));
  const instances = members.map((member): EnvironmentInstance => {
    const ec2 = ec2Instances.find((i) => i.InstanceId === member.InstanceId);
    const container = containerInstances.find((c) => c.ec2InstanceId === member.InstanceId);
    const imageId = ec2?.ImageId;
    return {
      instanceId: member.InstanceId ?? '',
      availabilityZone: member.AvailabilityZone ?? ec2?.Placement?.AvailabilityZone,
      instanceType: member.InstanceType ?? ec2?.InstanceType,
      lifecycleState: member.LifecycleState,
      healthStatus: member.HealthStatus,
      state: ec2?.State?.Name,
      privateIp: ec2?.PrivateIpAddress,
      publicIp: ec2?.PublicIpAddress,
      imageId,
      imageCurrent: imageId === undefined || current.size === 0 ? undefined : current.has(imageId),
      launchTime: ec2?.LaunchTime?.toISOString(),
      registered: container !== undefined,
      agentConnected: container?.agentConnected,
      runningTasks: container?.runningTasksCount,
      containerInstance: container,
    };
  });
  const strangers = containerInstances.filter((c) => !ids.includes(c.ec2InstanceId ?? ''));
  return { group, images, instances, strangers };
}

/**
 * Checks that an instance id belongs to the environment's Auto Scaling group, so a session or command
 * never lands on the other environment's instance by a copy-paste slip.
 * @param instances the environment's instances
 * @param instanceId the id the operator gave
 * @param environment pre or live, for the message
 * @param groupName the Auto Scaling group's name, for the message
 */
export function requireEnvironmentInstance<T extends { readonly instanceId: string }>(
  instances: readonly T[],
  instanceId: string,
  environment: string,
  groupName: string,
): T {
  const found = instances.find((i) => i.instanceId === instanceId);
  if (found) return found;
  const ids = instances.map((i) => i.instanceId);
  const members = ids.length > 0 ? `its instances: ${ids.join(', ')}` : 'it has no instances';
  throw new UsageError(
    `instance ${instanceId} is not in ${environment}'s Auto Scaling group ${groupName}; ${members} (see berth instances ${environment})`,
  );
}
