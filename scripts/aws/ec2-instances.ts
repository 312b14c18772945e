import { type EC2Client, type Instance, paginateDescribeInstances } from '@aws-sdk/client-ec2';
import { withPermission } from './permission';

/**
 * Reads EC2 instances by id.
 * @param ec2 an EC2 client
 * @param instanceIds the ids; none means no call
 */
export async function describeInstances(ec2: EC2Client, instanceIds: readonly string[]): Promise<Instance[]> {
  if (instanceIds.length === 0) return [];
  return withPermission('ec2:DescribeInstances', async () => {
    const instances: Instance[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2 }, { InstanceIds: [...instanceIds] })) {
      for (const reservation of page.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    }
    return instances;
  });
}
