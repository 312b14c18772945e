import {
  type Activity,
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from '@aws-sdk/client-auto-scaling';
import { RefusedError } from '../core/errors';
import { withPermission } from './permission';

/**
 * Reads the environment's Auto Scaling group: its instances and capacity.
 * @param autoScaling an Auto Scaling client
 * @param name the group's name from the manifest
 */
export async function describeAutoScalingGroup(autoScaling: AutoScalingClient, name: string): Promise<AutoScalingGroup> {
  const response = await withPermission('autoscaling:DescribeAutoScalingGroups', () =>
    autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
  );
  const group = response.AutoScalingGroups?.[0];
  if (!group) throw new RefusedError(`Auto Scaling group ${name} from the manifest does not exist; redeploy the stack with cdk deploy`);
  return group;
}

/**
 * Reads the group's most recent scaling activities, newest first.
 * @param autoScaling an Auto Scaling client
 * @param name the group's name
 * @param limit how many activities to read
 */
export async function recentScalingActivities(autoScaling: AutoScalingClient, name: string, limit = 20): Promise<Activity[]> {
  const response = await withPermission('autoscaling:DescribeScalingActivities', () =>
    autoScaling.send(new DescribeScalingActivitiesCommand({ AutoScalingGroupName: name, MaxRecords: limit })),
  );
  return response.Activities ?? [];
}
