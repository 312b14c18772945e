import { type DesiredStatus, DescribeTasksCommand, type ECSClient, paginateListTasks, type Task } from '@aws-sdk/client-ecs';
import { withPermission } from './permission';

/**
 * Reads tasks by id or ARN.
 * @param ecs an ECS client
 * @param cluster the cluster's name or ARN
 * @param tasks task ids or ARNs; none means no call
 */
export async function describeTasks(ecs: ECSClient, cluster: string, tasks: readonly string[]): Promise<Task[]> {
  const found: Task[] = [];
  // DescribeTasks takes at most 100 at a time.
  for (let i = 0; i < tasks.length; i += 100) {
    const batch = tasks.slice(i, i + 100);
    const response = await withPermission('ecs:DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: batch })));
    found.push(...(response.tasks ?? []));
  }
  return found;
}

/**
 * Reads the tasks of a service that ECS wants in one state, newest first.
 * @param ecs an ECS client
 * @param cluster the cluster's name or ARN
 * @param serviceName the service's name
 * @param desiredStatus `RUNNING` for the tasks that run or start, `STOPPED` for those stopped recently (ECS keeps them about an hour)
 */
export async function listServiceTasks(
  ecs: ECSClient,
  cluster: string,
  serviceName: string,
  desiredStatus: DesiredStatus,
): Promise<Task[]> {
  const arns = await withPermission('ecs:ListTasks', async () => {
    const found: string[] = [];
    for await (const page of paginateListTasks({ client: ecs }, { cluster, serviceName, desiredStatus }))
      found.push(...(page.taskArns ?? []));
    return found;
  });
  const tasks = await describeTasks(ecs, cluster, arns);
  const time = (t: Task) => (t.startedAt ?? t.createdAt)?.getTime() ?? 0;
  return tasks.sort((a, b) => time(b) - time(a));
}

/**
 * The short id of a task from its ARN.
 * @param taskArn the task's ARN (or already its id)
 */
export function taskId(taskArn: string): string {
  return taskArn.slice(taskArn.lastIndexOf('/') + 1);
}
