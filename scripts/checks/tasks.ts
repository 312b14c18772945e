import type { ECSClient, Task } from '@aws-sdk/client-ecs';
import type { Manifest } from '../../infra/manifest';
import { listServiceTasks, taskId } from '../aws/tasks';
import type { Finding } from './findings';

/** How many failed tasks the finding lists. */
const SHOWN = 5;

/**
 * Whether a stopped task failed, as opposed to being replaced by a deployment or scaled in.
 * @param task the stopped task
 */
export function taskFailed(task: Task): boolean {
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  if (/health checks|OutOfMemory|CannotPull|ResourceInitializationError|CannotStart/i.test(task.stoppedReason ?? '')) return true;
  // a deployment or scale-in stops tasks on purpose, and their containers often exit 137 or 143 on SIGTERM.
  if (task.stopCode !== undefined) return false;
  return (task.containers ?? []).some((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason !== undefined);
}

/**
 * One line about why a task stopped: ECS's reason plus each container's exit code and reason.
 * @param task the stopped task
 */
export function stoppedLine(task: Task): string {
  const when = task.stoppedAt?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '?';
  const containers = (task.containers ?? [])
    .filter((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason)
    .map((c) => `${c.name}${c.exitCode !== undefined ? ` exit ${c.exitCode}` : ''}${c.reason ? ` (${c.reason})` : ''}`);
  return `task ${taskId(task.taskArn ?? '')} stopped ${when}: ${task.stoppedReason ?? task.stopCode ?? 'no reason given'}${containers.length ? `; ${containers.join('; ')}` : ''}`;
}

function fixFor(tasks: readonly Task[], manifest: Manifest): string {
  const text = tasks.map(stoppedLine).join('\n');
  const env = manifest.environment;
  if (/CannotPull/i.test(text))
    return `instances cannot pull the image: check that the tag exists in ECR (berth status ${env}) and that the instances reach ECR (NAT or VPC endpoints)`;
  if (/OutOfMemory|exit 137/i.test(text))
    return `the container ran out of memory: raise container.memoryMiB for ${env} in the config and npx cdk deploy ${manifest.app}-${env}`;
  if (/ResourceInitializationError/i.test(text))
    return "the task could not get its secrets or log group: check the task execution role and the instances' network path to AWS";
  if (/health checks/i.test(text)) return `the app fails its health check: read berth logs ${env} --since 1h`;
  return `read the app's last words with berth logs ${env} --since 1h`;
}

/**
 * Checks the service's tasks: that some run, and why recent ones stopped (ECS keeps stopped tasks
 * about an hour).
 * @param ecs an ECS client
 * @param manifest the environment's manifest
 */
export async function checkTasks(ecs: ECSClient, manifest: Manifest): Promise<Finding> {
  const link = 'tasks';
  const [running, stopped] = await Promise.all([
    listServiceTasks(ecs, manifest.cluster.name, manifest.service.name, 'RUNNING'),
    listServiceTasks(ecs, manifest.cluster.name, manifest.service.name, 'STOPPED'),
  ]);
  const failed = stopped.filter(taskFailed);
  const details = failed.slice(0, SHOWN).map(stoppedLine);
  if (failed.length > SHOWN) details.push(`… and ${failed.length - SHOWN} more`);
  const up = running.filter((t) => t.lastStatus === 'RUNNING').length;
  const summary = `${up} running, ${failed.length} failed in the last hour`;
  if (up === 0) {
    return {
      link,
      status: 'fail',
      summary,
      details,
      fix:
        failed.length > 0
          ? fixFor(failed, manifest)
          : 'no task runs and none failed recently: see the service and container instances links',
    };
  }
  if (failed.length > 0) return { link, status: 'warn', summary, details, fix: fixFor(failed, manifest) };
  return { link, status: 'ok', summary };
}
