/**
 * How long a blue/green release takes with given settings: the pure arithmetic behind `npm run bench`,
 * kept out of the bench script so a unit test can check it.
 */
import type { EnvironmentConfig } from './config';

/** The settings that decide how long a release takes. */
export interface ReleaseTimingSettings {
  /** seconds a new task may take to start before its checks count (container health check start period). */
  readonly startPeriodSeconds: number;
  /** seconds between two load balancer health checks. */
  readonly intervalSeconds: number;
  /** passed checks in a row before a target is healthy. */
  readonly healthyThreshold: number;
  /** minutes blue keeps running after traffic shifted. */
  readonly bakeMinutes: number;
  /** seconds the load balancer drains a leaving target. */
  readonly deregistrationDelaySeconds: number;
}

/** The stages of a release, in seconds. */
export interface ReleaseTiming {
  /** until a new target is healthy: start period + interval x healthy threshold (a worst case). */
  readonly healthySeconds: number;
  /** the bake time after traffic shifted. */
  readonly bakeSeconds: number;
  /** draining blue's targets after the bake. */
  readonly deregistrationSeconds: number;
  /** all three: the least time a release takes from green's start to blue's removal. */
  readonly totalSeconds: number;
}

/**
 * AWS's defaults for the same settings: ALB target groups check every 30 s and need 5 passes, drain for
 * 300 s, and a container has no start period. ECS documents no default bake time for BLUE_GREEN (the
 * API requires one), so a comparison keeps the environment's own bake.
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
  const bakeSeconds = settings.bakeMinutes * 60;
  const deregistrationSeconds = settings.deregistrationDelaySeconds;
  return { healthySeconds, bakeSeconds, deregistrationSeconds, totalSeconds: healthySeconds + bakeSeconds + deregistrationSeconds };
}

/** The settings of a validated environment. */
export function releaseTimingSettings(environment: EnvironmentConfig): ReleaseTimingSettings {
  return {
    startPeriodSeconds: environment.container.healthCheck.startPeriodSeconds,
    intervalSeconds: environment.healthCheck.intervalSeconds,
    healthyThreshold: environment.healthCheck.healthyThreshold,
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
