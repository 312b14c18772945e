import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { pausedHook, type DeploymentSnapshot } from '../aws/deployment';
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
    ...productionShare(d),
    `targets ${formatTargetHealth(snapshot.targetHealth)}`,
    ...(snapshot.bake
      ? [
          `bake ${formatDuration(snapshot.bake.elapsedSeconds)}${snapshot.bake.totalSeconds !== undefined ? ` of ${formatDuration(snapshot.bake.totalSeconds)}` : ''}`,
        ]
      : []),
  ];
  const hook = pausedHook(d);
  if (hook) {
    const action = hook.timeoutAction === 'CONTINUE' ? 'continues by itself' : 'rolls back';
    parts.push(`paused at the smoke-test gate, ${action}${hook.expiresAt ? ` at ${formatClock(hook.expiresAt)}` : ''} unless continued`);
  }
  return parts.join(' · ');
}

/**
 * The strategy step and the share of production traffic on the new tasks, for canary and linear releases:
 * `step 1 of 2 · production 5% on new tasks`. The share is what DescribeServiceDeployments reports as the
 * target revision's `requestedProductionTrafficWeight` (0.0 to 100.0, "a snapshot of the traffic
 * distribution", API reference ServiceRevisionSummary); blue/green moves it from 0 to 100 in one step.
 * @param deployment a look at the deployment
 */
export function productionShare(deployment: ServiceDeployment): string[] {
  const weight = deployment.targetServiceRevision?.requestedProductionTrafficWeight;
  const config = deployment.deploymentConfiguration;
  if (weight === undefined || (config?.strategy !== 'CANARY' && config?.strategy !== 'LINEAR')) return [];
  const share = `production ${Number(weight.toFixed(1))}% on new tasks`;
  if (weight <= 0) return [share];
  if (config.strategy === 'CANARY') return [`step ${weight >= 100 ? 2 : 1} of 2`, share];
  // ECS's default step is 10 % (API reference LinearConfiguration); the last step tops up to 100 %.
  const step = config.linearConfiguration?.stepPercent ?? 10;
  const steps = Math.ceil(100 / step - 1e-9);
  return [`step ${Math.min(steps, Math.ceil(weight / step - 1e-9))} of ${steps}`, share];
}

/**
 * A time of day in UTC, `HH:MM UTC`, for deadlines an operator acts on (a pause's timeout).
 * @param at the time
 */
export function formatClock(at: Date): string {
  return `${at.toISOString().slice(11, 16)} UTC`;
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
