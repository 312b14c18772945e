import {
  type ContainerInstance,
  DescribeContainerInstancesCommand,
  type ECSClient,
  paginateListContainerInstances,
} from '@aws-sdk/client-ecs';
import { withPermission } from './permission';

/**
 * Reads every container instance registered in a cluster (whatever its status).
 * @param ecs an ECS client
 * @param cluster the cluster's name or ARN
 */
export async function describeClusterInstances(ecs: ECSClient, cluster: string): Promise<ContainerInstance[]> {
  const arns = await withPermission('ecs:ListContainerInstances', async () => {
    const found: string[] = [];
    for await (const page of paginateListContainerInstances({ client: ecs }, { cluster }))
      found.push(...(page.containerInstanceArns ?? []));
    return found;
  });
  const instances: ContainerInstance[] = [];
  // DescribeContainerInstances takes at most 100 at a time.
  for (let i = 0; i < arns.length; i += 100) {
    const batch = arns.slice(i, i + 100);
    const response = await withPermission('ecs:DescribeContainerInstances', () =>
      ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: batch })),
    );
    instances.push(...(response.containerInstances ?? []));
  }
  return instances;
}

/**
 * What is left of one resource on a container instance.
 * @param instance the container instance
 * @param name `CPU` or `MEMORY`
 */
export function remaining(instance: ContainerInstance, name: 'CPU' | 'MEMORY'): number | undefined {
  return instance.remainingResources?.find((r) => r.name === name)?.integerValue;
}

/**
 * What a container instance registered of one resource: the room ECS places tasks in.
 * @param instance the container instance
 * @param name `CPU` or `MEMORY`
 */
export function registered(instance: ContainerInstance, name: 'CPU' | 'MEMORY'): number | undefined {
  return instance.registeredResources?.find((r) => r.name === name)?.integerValue;
}

/**
 * Whether ECS gave a container instance a trunk network interface (ENI trunking), which it marks with the
 * attribute `ecs.awsvpc-trunk-id` (ECS developer guide, "Elastic network interface trunking").
 * @param instance the container instance
 */
export function hasTrunkInterface(instance: ContainerInstance): boolean {
  return (instance.attributes ?? []).some((a) => a.name === 'ecs.awsvpc-trunk-id');
}
