import { DescribeInstancesCommand, type EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { withPermission } from './permission';

/**
 * Reads EC2 instances by id.
 * @param ec2 an EC2 client
 * @param instanceIds the ids; none means no call
 */
export async function describeInstances(ec2: EC2Client, instanceIds: readonly string[]): Promise<Instance[]> {
  if (instanceIds.length === 0) return [];
  const instances: Instance[] = [];
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const response = await withPermission('ec2:DescribeInstances', () =>
      ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds], NextToken: token })),
    );
    for (const reservation of response.Reservations ?? []) instances.push(...(reservation.Instances ?? []));
    nextToken = response.NextToken;
  } while (nextToken);
  return instances;
}
