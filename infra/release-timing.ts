/**
 * How long a release takes with given settings: the pure arithmetic behind `npm run bench release-timing` and
 * the CLI's default follow timeout, kept out of both so a unit test can check it.
 */
import type { EnvironmentConfig } from './config';
import { linearBakeSteps, strategyBakeMinutes, type ReleaseStrategyConfig } from './config/release-schema';
import { releasePauseMinutes } from './config/resolve';

/** The settings that decide how long a release takes. */
export interface ReleaseTimingSettings {
  /** seconds a new task may take to start before its checks count (container health check start period). */
  readonly startPeriodSeconds: number;
  /** seconds between two load balancer health checks. */
  readonly intervalSeconds: number;
  /** passed checks in a row before a target is healthy. */
  readonly healthyThreshold: number;
  /** how production traffic shifts: canary and linear bake between their steps. @default - blue/green */
  readonly strategy?: ReleaseStrategyConfig;
  /**
   * the smoke-test gate's pause: the most minutes the deployment waits at it (the hook's timeout) for the checks
   * and a person's answer. @default - no gate
   */
  readonly pauseMinutes?: number;
  /** minutes blue keeps running after all production traffic shifted. */
  readonly bakeMinutes: number;
  /** seconds the load balancer drains a leaving target. */
  readonly deregistrationDelaySeconds: number;
}

/** The stages of a release, in seconds, in the order ECS runs them. */
export interface ReleaseTiming {
  /** until a new target is healthy: start period + interval x healthy threshold (a worst case). */
  readonly healthySeconds: number;
  /** the most the smoke-test gate may hold the release (its hook's timeout); 0 without a gate. */
  readonly pauseSeconds: number;
  /** the bakes between production traffic steps (canary, linear); 0 for blue/green. */
  readonly trafficShiftSeconds: number;
  /** the bake time after all production traffic shifted. */
  readonly bakeSeconds: number;
  /** draining blue's targets after the bake. */
  readonly deregistrationSeconds: number;
  /**
   * the least time a release takes from green's start to blue's removal, with a gate answered at once: every
   * stage but the pause.
   */
  readonly totalSeconds: number;
  /** the most, with a gate that waits its whole timeout: {@link totalSeconds} + {@link pauseSeconds}. */
  readonly withPauseSeconds: number;
}

/**
 * AWS's defaults for the same settings: ALB target groups check every 30 s and need 5 passes, drain for
 * 300 s, and a container has no start period. ECS documents no default bake time for BLUE_GREEN (the
 * API requires one), so a comparison keeps the environment's own bake, strategy and gate.
 */
export const AWS_DEFAULT_SETTINGS = {
  startPeriodSeconds: 0,
  intervalSeconds: 30,
  healthyThreshold: 5,
  deregistrationDelaySeconds: 300,
} as const;

/** The release timing that some settings imply. */
export function releaseTiming(settings: ReleaseTimingSettings): ReleaseTiming {
  const healthySeconds = settings.startPeriodSeconds + settings.intervalSeconds * settings.healthyThreshold;
  const pauseSeconds = (settings.pauseMinutes ?? 0) * 60;
  const trafficShiftSeconds = settings.strategy ? strategyBakeMinutes(settings.strategy) * 60 : 0;
  const bakeSeconds = settings.bakeMinutes * 60;
  const deregistrationSeconds = settings.deregistrationDelaySeconds;
  const totalSeconds = healthySeconds + trafficShiftSeconds + bakeSeconds + deregistrationSeconds;
  return {
    healthySeconds,
    pauseSeconds,
    trafficShiftSeconds,
    bakeSeconds,
    deregistrationSeconds,
    totalSeconds,
    withPauseSeconds: totalSeconds + pauseSeconds,
  };
}

/** The settings of a validated environment. */
export function releaseTimingSettings(environment: EnvironmentConfig): ReleaseTimingSettings {
  const pauseMinutes = releasePauseMinutes(environment);
  return {
    startPeriodSeconds: environment.container.healthCheck.startPeriodSeconds,
    intervalSeconds: environment.healthCheck.intervalSeconds,
    healthyThreshold: environment.healthCheck.healthyThreshold,
    strategy: environment.release.strategy,
    ...(pauseMinutes !== undefined ? { pauseMinutes } : {}),
    bakeMinutes: environment.bakeMinutes,
    deregistrationDelaySeconds: environment.deregistrationDelaySeconds,
  };
}

/** An environment's release timing, and the same with AWS's defaults (and the environment's bake). */
export function compareWithAwsDefaults(environment: EnvironmentConfig): {
  readonly configured: ReleaseTiming;
  readonly awsDefaults: ReleaseTiming;
} {
  const settings = releaseTimingSettings(environment);
  return {
    configured: releaseTiming(settings),
    awsDefaults: releaseTiming({ ...settings, ...AWS_DEFAULT_SETTINGS }),
  };
}

/** `12.5 %`, `100 %`. */
const percent = (value: number) => `${Math.round(value * 10) / 10} %`;

/**
 * How a strategy shifts production traffic, in the operator's words: "canary 10 % for 5 min, then 100 %",
 * "linear 25 % steps every 3 min: 100 % after 4 steps (9 min)", "blue/green: all at once".
 * @param strategy from config, or as ECS reports the service's
 */
export function describeTrafficSteps(strategy: ReleaseStrategyConfig): string {
  if (strategy.type === 'canary') return `canary ${percent(strategy.percent)} for ${strategy.bakeMinutes} min, then 100 %`;
  if (strategy.type === 'linear') {
    const bakes = linearBakeSteps(strategy.stepPercent);
    return `linear ${percent(strategy.stepPercent)} steps every ${strategy.stepBakeMinutes} min: 100 % after ${bakes + 1} steps (${strategyBakeMinutes(strategy)} min)`;
  }
  return 'blue/green: all production traffic at once';
}
