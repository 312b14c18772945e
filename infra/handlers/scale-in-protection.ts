/**
 * `Custom::BerthScaleInProtection`: lets a stack deletion terminate the environment's instances.
 *
 * With managed termination protection, ECS protects the Auto Scaling group's instances from scale-in, and a
 * protected instance is never terminated by the group; deleting the stack then waits on the group for hours
 * (aws/aws-cdk#18179, #14732). The ECS service depends on this resource and this resource on the group, so
 * CloudFormation deletes it after the service and before the group: its Delete, once the cluster runs no
 * service any more, takes the protection off the instances and off the group's new instances. Any other
 * request (and a Delete while a service still runs, e.g. when the resource leaves the template) changes nothing.
 */
import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  SetInstanceProtectionCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeServicesCommand, type ECSClient, ListServicesCommand } from '@aws-sdk/client-ecs';
import { type CustomResourceEvent, type CustomResourceResult, stringProperty } from './custom-resource';

/** The resource type CloudFormation sends. */
export const SCALE_IN_PROTECTION_RESOURCE_TYPE = 'Custom::BerthScaleInProtection';

/** The properties in the template. */
export interface ScaleInProtectionProperties {
  /** the environment's Auto Scaling group. */
  readonly AutoScalingGroupName: string;
  /** the environment's ECS cluster. */
  readonly Cluster: string;
}

/** SetInstanceProtection takes at most 50 instances per call (Auto Scaling API reference). */
const BATCH = 50;

async function activeServices(ecs: ECSClient, cluster: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListServicesCommand({ cluster, ...(nextToken ? { nextToken } : {}) }));
    arns.push(...(page.serviceArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  const active: string[] = [];
  for (let i = 0; i < arns.length; i += 10) {
    const described = await ecs.send(new DescribeServicesCommand({ cluster, services: arns.slice(i, i + 10) }));
    active.push(...(described.services ?? []).filter((s) => s.status === 'ACTIVE').map((s) => s.serviceName ?? s.serviceArn ?? '?'));
  }
  return active;
}

async function releaseProtection(
  clients: { autoScaling: AutoScalingClient; ecs: ECSClient },
  properties: ScaleInProtectionProperties,
): Promise<void> {
  const { AutoScalingGroupName: group, Cluster: cluster } = properties;
  const running = await activeServices(clients.ecs, cluster);
  if (running.length > 0) {
    console.log(`${cluster} still runs ${running.join(', ')}: the instances keep their scale-in protection`);
    return;
  }
  const described = await clients.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [group] }));
  const found = described.AutoScalingGroups?.[0];
  if (!found) return;
  await clients.autoScaling.send(
    new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, NewInstancesProtectedFromScaleIn: false }),
  );
  const protectedIds = (found.Instances ?? []).filter((i) => i.ProtectedFromScaleIn).map((i) => i.InstanceId!);
  for (let i = 0; i < protectedIds.length; i += BATCH) {
    await clients.autoScaling.send(
      new SetInstanceProtectionCommand({
        AutoScalingGroupName: group,
        InstanceIds: protectedIds.slice(i, i + BATCH),
        ProtectedFromScaleIn: false,
      }),
    );
  }
  console.log(`released the scale-in protection of ${protectedIds.length} instance(s) of ${group}: the stack deletion can terminate them`);
}

/**
 * Handles one request for a `Custom::BerthScaleInProtection`.
 * @param clients Auto Scaling and ECS clients in the stack's region
 * @param event the request
 */
export async function handleScaleInProtection(
  clients: { autoScaling: AutoScalingClient; ecs: ECSClient },
  event: CustomResourceEvent,
): Promise<CustomResourceResult> {
  const properties: ScaleInProtectionProperties = {
    AutoScalingGroupName: stringProperty(event.ResourceProperties, 'AutoScalingGroupName'),
    Cluster: stringProperty(event.ResourceProperties, 'Cluster'),
  };
  if (event.RequestType === 'Delete') await releaseProtection(clients, properties);
  return { physicalResourceId: properties.AutoScalingGroupName };
}
