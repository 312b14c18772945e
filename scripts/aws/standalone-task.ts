import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  type ECSClient,
  RunTaskCommand,
  StopTaskCommand,
  type Task,
} from '@aws-sdk/client-ecs';
import type { Manifest } from '../../infra/manifest';
import { FailedError, RefusedError } from '../core/errors';
import { sleep } from '../core/timing';
import { withPermission } from './permission';

/**
 * The subnets the environment's service places its tasks in, from the running service's awsvpc
 * configuration: a one-off task started there has the same routes (NAT, endpoints) as the service.
 * @param ecs an ECS client in the stacks' region
 * @param manifest the environment's manifest
 */
export async function serviceSubnets(ecs: ECSClient, manifest: Manifest): Promise<string[]> {
  const response = await withPermission('ecs:DescribeServices', () =>
    ecs.send(new DescribeServicesCommand({ cluster: manifest.cluster.arn, services: [manifest.service.arn] })),
  );
  const service = response.services?.[0];
  const subnets = service?.networkConfiguration?.awsvpcConfiguration?.subnets ?? [];
  if (!service || service.status === 'INACTIVE' || subnets.length === 0) {
    const reason = response.failures?.[0]?.reason ?? (service ? `${service.status ?? 'unknown'} with no awsvpc subnets` : 'not found');
    throw new RefusedError(
      `service ${manifest.service.name} is ${reason.toLowerCase()}; redeploy the stack (npx cdk deploy ${manifest.app}-${manifest.environment})`,
    );
  }
  return subnets;
}

/** What a one-off task is started with. */
export interface StandaloneTaskRequest {
  /** the cluster's name or ARN. */
  readonly cluster: string;
  /** the task-definition family (its newest ACTIVE revision runs) or a family:revision. */
  readonly taskDefinition: string;
  /** the capacity provider that places it on the environment's instances. */
  readonly capacityProvider: string;
  /** subnets of its network interface. */
  readonly subnets: readonly string[];
  /** security groups of its network interface. */
  readonly securityGroups: readonly string[];
  /** who started it, as ECS shows it (at most 36 letters, digits, `-` and `_`). */
  readonly startedBy: string;
  /** a command that replaces the container's, for one container. */
  readonly commandOverride?: { readonly container: string; readonly command: readonly string[] };
}

/**
 * Starts one task with ECS Exec enabled and returns its ARN; refuses with ECS's reason when it places none.
 * @param ecs an ECS client in the stacks' region
 * @param request what to run and where
 */
export async function runStandaloneTask(ecs: ECSClient, request: StandaloneTaskRequest): Promise<string> {
  const response = await withPermission('ecs:RunTask', () =>
    ecs.send(
      new RunTaskCommand({
        cluster: request.cluster,
        taskDefinition: request.taskDefinition,
        count: 1,
        capacityProviderStrategy: [{ capacityProvider: request.capacityProvider, weight: 1 }],
        networkConfiguration: { awsvpcConfiguration: { subnets: [...request.subnets], securityGroups: [...request.securityGroups] } },
        enableExecuteCommand: true,
        startedBy: request.startedBy,
        propagateTags: 'TASK_DEFINITION',
        ...(request.commandOverride
          ? {
              overrides: {
                containerOverrides: [{ name: request.commandOverride.container, command: [...request.commandOverride.command] }],
              },
            }
          : {}),
      }),
    ),
  );
  const taskArn = response.tasks?.[0]?.taskArn;
  if (!taskArn) {
    const failure = response.failures?.[0];
    throw new FailedError(
      `ECS did not start ${request.taskDefinition}: ${failure?.reason ?? 'no reason given'}${failure?.detail ? ` (${failure.detail})` : ''}; see berth instances for free capacity`,
    );
  }
  return taskArn;
}

/** How to wait for a task. */
export interface WaitOptions {
  /** milliseconds between two looks. */
  readonly intervalMs: number;
  /** how long to wait at most. */
  readonly timeoutSeconds: number;
  /** Ctrl-C. */
  readonly signal: AbortSignal;
}

/**
 * Waits until a task runs and the ECS Exec agent in one of its containers is running, so that
 * `aws ecs execute-command` can connect.
 * @param ecs an ECS client in the stacks' region
 * @param cluster the cluster's name or ARN
 * @param taskArn the task
 * @param container the container to exec into
 * @param options interval, timeout and abort signal
 * @returns `ready`, `aborted` (Ctrl-C) or `timed-out`; throws a FailedError when the task stopped
 */
export async function waitForExecAgent(
  ecs: ECSClient,
  cluster: string,
  taskArn: string,
  container: string,
  options: WaitOptions,
): Promise<'ready' | 'aborted' | 'timed-out'> {
  const deadline = Date.now() + options.timeoutSeconds * 1000;
  for (;;) {
    const response = await withPermission('ecs:DescribeTasks', () => ecs.send(new DescribeTasksCommand({ cluster, tasks: [taskArn] })));
    const task: Task | undefined = response.tasks?.[0];
    if (task?.lastStatus === 'STOPPED' || task?.desiredStatus === 'STOPPED') {
      const reason = task.stoppedReason ?? task.containers?.find((c) => c.reason)?.reason ?? 'no reason given';
      throw new FailedError(`task ${taskArn.slice(taskArn.lastIndexOf('/') + 1)} stopped before the session could start: ${reason}`);
    }
    const agent = task?.containers?.find((c) => c.name === container)?.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent');
    if (task?.lastStatus === 'RUNNING' && agent?.lastStatus === 'RUNNING') return 'ready';
    if (Date.now() >= deadline) return 'timed-out';
    if (!(await sleep(options.intervalMs, options.signal))) return 'aborted';
  }
}

/**
 * Stops a task; stopping one that has already stopped is not an error.
 * @param ecs an ECS client in the stacks' region
 * @param cluster the cluster's name or ARN
 * @param taskArn the task
 * @param reason what ECS records as the stop reason
 */
export async function stopTask(ecs: ECSClient, cluster: string, taskArn: string, reason: string): Promise<void> {
  await withPermission('ecs:StopTask', () => ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason })));
}
