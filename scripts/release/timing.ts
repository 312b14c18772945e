import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { ECS_STRATEGY_DEFAULTS, strategyBakeMinutes, type ReleaseStrategyConfig } from '../../infra/config/release-schema';
import { AWS_DEFAULT_SETTINGS, releaseTiming, type ReleaseTiming } from '../../infra/release-timing';
import type { Manifest } from '../../infra/manifest';
import type { ServiceState } from '../aws/service';
import { readTargetGroupSettings, type TargetGroupSettings } from '../aws/target-group-settings';
import type { Session } from '../cli/session';
import { endsEveryCheck } from '../core/errors';
import { formatDuration } from '../core/timing';

/**
 * What following a release allows for beyond its timing: placing the new tasks may need a new instance
 * (the capacity provider launches one), images are pulled, and ECS moves from stage to stage. Twenty
 * minutes is the slack the old fixed default of 30 minutes left live's default timing.
 */
export const FOLLOW_ALLOWANCE_SECONDS = 20 * 60;

/** The default `--timeout` is never shorter than the fixed 30 minutes it replaces. */
export const MINIMUM_FOLLOW_SECONDS = 30 * 60;

/** How long a release of the environment takes, what berth waits for it by default, and where the figures come from. */
export interface FollowTimeout {
  /** how long berth follows the deployment. */
  readonly seconds: number;
  /** `--timeout`, or derived from the release timing. */
  readonly from: '--timeout' | 'release timing';
  /** the release timing the default derives from, when it does. */
  readonly timing?: ReleaseTiming;
  /** where the health-check and draining figures come from: the load balancer, or AWS's defaults. */
  readonly targetGroups?: string;
}

/**
 * The strategy of the service's deployments as ECS reports it, with ECS's defaults for what it leaves out
 * ({@link ECS_STRATEGY_DEFAULTS}); ROLLING and BLUE_GREEN shift all production traffic at once.
 * @param service the service as ECS reports it
 */
export function serviceStrategy(service: ServiceState): ReleaseStrategyConfig {
  if (service.strategy === 'CANARY') {
    return {
      type: 'canary',
      percent: service.canary?.canaryPercent ?? ECS_STRATEGY_DEFAULTS.canary.percent,
      bakeMinutes: service.canary?.canaryBakeTimeInMinutes ?? ECS_STRATEGY_DEFAULTS.canary.bakeMinutes,
    };
  }
  if (service.strategy === 'LINEAR') {
    return {
      type: 'linear',
      stepPercent: service.linear?.stepPercent ?? ECS_STRATEGY_DEFAULTS.linear.stepPercent,
      stepBakeMinutes: service.linear?.stepBakeTimeInMinutes ?? ECS_STRATEGY_DEFAULTS.linear.stepBakeMinutes,
    };
  }
  return { type: 'blue-green' };
}

/**
 * The minutes ECS bakes between traffic steps before the final bake: a canary's bake, or a linear
 * deployment's bake per step times its steps ({@link strategyBakeMinutes}, the same arithmetic as the config's
 * limits and the bench).
 * @param service the service as ECS reports it
 */
export function trafficShiftMinutes(service: ServiceState): number {
  return strategyBakeMinutes(serviceStrategy(service));
}

/**
 * The default `--timeout` of a release: its timing (a new target healthy, the traffic shifts, the bake,
 * blue draining) plus {@link FOLLOW_ALLOWANCE_SECONDS}, never under {@link MINIMUM_FOLLOW_SECONDS}. The
 * figures are those ECS and the load balancer report for the running service, not the config, which may
 * say something else than what was deployed.
 * @param service the service as ECS reports it (bake, strategy)
 * @param taskDefinition the revision it runs (the app container's health-check start period)
 * @param targetGroups the target groups' settings, or why they could not be read
 * @param manifest the environment's manifest
 */
export function followTimeout(
  service: ServiceState,
  taskDefinition: TaskDefinition,
  targetGroups: TargetGroupSettings | { readonly unreadable: string },
  manifest: Manifest,
): FollowTimeout {
  const settings = 'unreadable' in targetGroups ? AWS_DEFAULT_SETTINGS : targetGroups;
  const container = taskDefinition.containerDefinitions?.find((c) => c.name === manifest.containerName);
  // no pause: berth stops the clock while it waits at the smoke-test gate (roll-out.ts followThroughGate), whose
  // hook's own timeout bounds the wait.
  const timing = releaseTiming({
    startPeriodSeconds: container?.healthCheck?.startPeriod ?? 0,
    intervalSeconds: settings.intervalSeconds,
    healthyThreshold: settings.healthyThreshold,
    strategy: serviceStrategy(service),
    bakeMinutes: service.bakeTimeInMinutes ?? 0,
    deregistrationDelaySeconds: settings.deregistrationDelaySeconds,
  });
  return {
    seconds: Math.max(MINIMUM_FOLLOW_SECONDS, Math.ceil((timing.totalSeconds + FOLLOW_ALLOWANCE_SECONDS) / 60) * 60),
    from: 'release timing',
    timing,
    targetGroups: 'unreadable' in targetGroups ? `AWS's defaults (${targetGroups.unreadable})` : `the target groups`,
  };
}

/**
 * Reads what the default `--timeout` derives from and computes it; the target groups' settings fall back to
 * AWS's defaults (30 s x 5 checks, 300 s draining, longer than berth's) when berth may not read them.
 * @param session clients and manifest of the environment
 * @param service the service as ECS reports it
 * @param taskDefinition the revision it runs
 */
export async function readFollowTimeout(session: Session, service: ServiceState, taskDefinition: TaskDefinition): Promise<FollowTimeout> {
  const { manifest } = session;
  const targetGroups = await readTargetGroupSettings(session.elbv2, Object.values(manifest.targetGroups)).catch((err: unknown) => {
    if (endsEveryCheck(err)) throw err;
    return { unreadable: `could not read the target groups: ${(err as Error).message.split('\n')[0]}` };
  });
  return followTimeout(service, taskDefinition, targetGroups, manifest);
}

/**
 * The timeout a command follows with: `--timeout` when given, else the derived one.
 * @param given `--timeout` in seconds, when given
 * @param derive reads and computes the default
 */
export async function chooseFollowTimeout(given: number | undefined, derive: () => Promise<FollowTimeout>): Promise<FollowTimeout> {
  return given !== undefined ? { seconds: given, from: '--timeout' } : derive();
}

/**
 * One line for the plan: how long berth follows, and from what.
 * @param timeout the follow timeout
 */
export function describeFollowTimeout(timeout: FollowTimeout): string {
  if (!timeout.timing) return `${formatDuration(timeout.seconds)} (--timeout)`;
  const t = timeout.timing;
  const parts = [
    `new target healthy ${formatDuration(t.healthySeconds)}`,
    ...(t.trafficShiftSeconds > 0 ? [`traffic steps ${formatDuration(t.trafficShiftSeconds)}`] : []),
    `bake ${formatDuration(t.bakeSeconds)}`,
    `draining ${formatDuration(t.deregistrationSeconds)}`,
  ];
  const floor =
    timeout.seconds === MINIMUM_FOLLOW_SECONDS && t.totalSeconds + FOLLOW_ALLOWANCE_SECONDS < MINIMUM_FOLLOW_SECONDS
      ? ', at least 30m'
      : '';
  return `${formatDuration(timeout.seconds)} (${parts.join(' + ')} + ${formatDuration(FOLLOW_ALLOWANCE_SECONDS)} to place tasks${floor}; from ECS and ${timeout.targetGroups})`;
}
