import type { DeploymentSnapshot } from '../aws/deployment';
import type { TargetGroupHealth } from '../aws/target-health';
import { formatDuration } from '../core/timing';

/**
 * One progress line: status, lifecycle stage, tasks of the new revision, target health, bake time.
 * @param snapshot a look at the deployment
 */
export function formatSnapshot(snapshot: DeploymentSnapshot): string {
  const d = snapshot.deployment;
  const target = d.targetServiceRevision;
  const parts = [
    `[${formatDuration(snapshot.elapsedSeconds)}]`,
    d.status ?? 'UNKNOWN',
    ...(d.lifecycleStage ? [`stage ${d.lifecycleStage}`] : []),
    ...(target
      ? [
          `new tasks ${target.runningTaskCount ?? 0}/${target.requestedTaskCount ?? 0} running${target.pendingTaskCount ? `, ${target.pendingTaskCount} pending` : ''}`,
        ]
      : []),
    `targets ${formatTargetHealth(snapshot.targetHealth)}`,
    ...(snapshot.bake
      ? [
          `bake ${formatDuration(snapshot.bake.elapsedSeconds)}${snapshot.bake.totalSeconds !== undefined ? ` of ${formatDuration(snapshot.bake.totalSeconds)}` : ''}`,
        ]
      : []),
  ];
  return parts.join(' · ');
}

/**
 * One line per target group, e.g. `blue 2/2 healthy, green 0/0 healthy`.
 * @param groups the health of each group
 */
export function formatTargetHealth(groups: readonly TargetGroupHealth[]): string {
  return groups.map((g) => `${g.label} ${g.healthy}/${g.total} healthy`).join(', ');
}

/**
 * The last part of an ARN, e.g. the deployment id, which is what an operator can compare at a glance.
 * @param arn an ARN
 */
export function shortArn(arn: string): string {
  return arn.split('/').pop() ?? arn;
}

/**
 * `family:revision` of a task-definition ARN, the short form operators read.
 * @param arn a task-definition ARN
 */
export function shortTaskDefinition(arn: string): string {
  return /task-definition\/(.+)$/.exec(arn)?.[1] ?? arn;
}
