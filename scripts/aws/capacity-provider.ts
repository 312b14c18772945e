import { type CapacityProvider, DescribeCapacityProvidersCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { withPermission } from './permission';

/**
 * Reads an ECS capacity provider by name.
 * @param ecs an ECS client
 * @param name the capacity provider's name from the manifest
 * @returns the capacity provider, or undefined when ECS does not know it
 */
export async function describeCapacityProvider(ecs: ECSClient, name: string): Promise<CapacityProvider | undefined> {
  const response = await withPermission('ecs:DescribeCapacityProviders', () =>
    ecs.send(new DescribeCapacityProvidersCommand({ capacityProviders: [name] })),
  );
  return response.capacityProviders?.[0];
}
