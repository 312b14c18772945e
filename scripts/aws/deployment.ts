import {
  ContinueServiceDeploymentCommand,
  UpdateServiceCommand,
  type DeploymentLifecycleHookDetail,
  type ECSClient,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Manifest } from '../../infra/manifest';
import { FailedError } from '../core/errors';
import { sleep } from '../core/timing';
import { FINAL_DEPLOYMENT_STATUSES, describeDeployment, describeRevision, listActiveDeployments } from './service';
import { readTargetHealth, type TargetGroupHealth } from './target-health';

/**
 * Points the service at a new task-definition revision, which starts a service deployment.
 * @param ecs an ECS client in the stacks' region
 * @param manifest the environment's manifest
 * @param taskDefinitionArn the revision to run
 * @param wait how to wait between looks for the new deployment: interval and abort signal
 * @returns the ARN of the service deployment ECS started towards that revision
 */
export async function startDeployment(
  ecs: ECSClient,
  manifest: Manifest,
  taskDefinitionArn: string,
  wait: { readonly intervalMs: number; readonly signal: AbortSignal; readonly attempts?: number },
): Promise<string> {
  const response = await ecs.send(
    new UpdateServiceCommand({ cluster: manifest.cluster.arn, service: manifest.service.arn, taskDefinition: taskDefinitionArn }),
  );
  // following the wrong deployment (the previous, finished one) would record a release that is not deployed,
  // so only a deployment whose target revision runs the new task definition counts.
  const attempts = wait.attempts ?? 12;
  for (let attempt = 0; attempt < attempts && !wait.signal.aborted; attempt++) {
    const candidates = [
      ...(attempt === 0 && response.service?.currentServiceDeployment ? [response.service.currentServiceDeployment] : []),
      ...(await listActiveDeployments(ecs, manifest)).flatMap((d) => (d.serviceDeploymentArn ? [d.serviceDeploymentArn] : [])),
    ];
    for (const arn of new Set(candidates)) {
      if ((await targetTaskDefinition(ecs, arn)) === taskDefinitionArn) return arn;
    }
    await sleep(wait.intervalMs, wait.signal);
  }
  // the service was updated: a failure, not a refusal, and the deployment ECS starts later goes on.
  throw new FailedError(
    `updated ${manifest.service.name} to ${taskDefinitionArn}, but ECS shows no service deployment towards it yet; watch it with berth status ${manifest.environment} --watch`,
  );
}

/**
 * The task definition a service deployment moves to.
 * @param ecs an ECS client in the stacks' region
 * @param serviceDeploymentArn the deployment
 */
export async function targetTaskDefinition(ecs: ECSClient, serviceDeploymentArn: string): Promise<string | undefined> {
  const deployment = await describeDeployment(ecs, serviceDeploymentArn);
  const revisionArn = deployment?.targetServiceRevision?.arn;
  return revisionArn ? (await describeRevision(ecs, revisionArn))?.taskDefinition : undefined;
}

/** The lifecycle stage berth's PAUSE hook holds a deployment at: green has all test traffic, production none. */
export const GATE_STAGE = 'POST_TEST_TRAFFIC_SHIFT';

/**
 * The PAUSE hook a deployment waits at, when it waits at the smoke-test gate. ECS reports a paused hook in
 * `lifecycleHookDetails` with `targetType` PAUSE and `status` AWAITING_ACTION, and accepts
 * ContinueServiceDeployment only then and only while the deployment is IN_PROGRESS (developer guide,
 * pause-lifecycle-hooks and continue-service-deployment). The detail names no stage, so the deployment's
 * `lifecycleStage` says it is the gate's.
 * @param deployment a look at the deployment
 */
export function pausedHook(deployment: ServiceDeployment | undefined): (DeploymentLifecycleHookDetail & { hookId: string }) | undefined {
  if (deployment?.status !== 'IN_PROGRESS' || deployment.lifecycleStage !== GATE_STAGE) return undefined;
  const hook = deployment.lifecycleHookDetails?.find((h) => h.targetType === 'PAUSE' && h.status === 'AWAITING_ACTION' && h.hookId);
  return hook?.hookId ? { ...hook, hookId: hook.hookId } : undefined;
}

/**
 * Resolves a paused hook: CONTINUE moves the deployment on to production traffic, ROLLBACK rolls it back to
 * the previous service revision (ContinueServiceDeployment, API reference). At a pause this is the documented
 * way to roll back; StopServiceDeployment is for deployments that are not waiting.
 * @param ecs an ECS client in the stacks' region
 * @param serviceDeploymentArn the paused deployment
 * @param hookId the hook's id from {@link pausedHook}
 * @param action what ECS does next
 */
export async function resolvePause(
  ecs: ECSClient,
  serviceDeploymentArn: string,
  hookId: string,
  action: 'CONTINUE' | 'ROLLBACK',
): Promise<void> {
  await ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn, hookId, action }));
}

/** How a followed deployment ended for the follower; PAUSED only when asked to stop at the gate. */
export type FollowOutcome = 'SUCCESSFUL' | 'FAILED' | 'TIMED_OUT' | 'INTERRUPTED' | 'PAUSED';

/** One look at a deployment while it is followed. */
export interface DeploymentSnapshot {
  /** the service deployment. */
  readonly deployment: ServiceDeployment;
  /** health of the blue and green target groups. */
  readonly targetHealth: readonly TargetGroupHealth[];
  /** seconds since following started. */
  readonly elapsedSeconds: number;
  /** seconds in the bake stage so far and in total, during the bake stage. */
  readonly bake?: { readonly elapsedSeconds: number; readonly totalSeconds?: number };
}

/** What {@link followDeployment} needs besides the deployment. */
export interface FollowOptions {
  /** milliseconds between two looks. */
  readonly intervalMs: number;
  /** give up following (not the deployment) after this many seconds. */
  readonly timeoutSeconds: number;
  /** aborted on Ctrl-C: stop following, leave the deployment running. */
  readonly signal: AbortSignal;
  /** called after every look, for the progress display. */
  readonly onProgress?: (snapshot: DeploymentSnapshot) => void;
  /** the clock; tests replace it. @default Date.now */
  readonly now?: () => number;
  /**
   * stop with PAUSED when the deployment waits at the smoke-test gate ({@link pausedHook}), except at the
   * hooks named here (already resolved, while ECS may still report them awaiting). @default - follow through a pause
   */
  readonly stopAtPause?: { readonly resolved: ReadonlySet<string> };
}

/** How following ended, and the last look. */
export interface FollowResult {
  /** how it ended. */
  readonly outcome: FollowOutcome;
  /** the last look, when there was one. */
  readonly last?: DeploymentSnapshot;
  /** the hook the deployment waits at, when the outcome is PAUSED. */
  readonly hook?: DeploymentLifecycleHookDetail & { readonly hookId: string };
}

/**
 * Follows a service deployment until ECS ends it, the timeout passes or the operator presses Ctrl-C.
 * Never stops or changes the deployment.
 * @param ecs an ECS client in the stacks' region
 * @param elbv2 an Elastic Load Balancing v2 client in the stacks' region
 * @param manifest the environment's manifest
 * @param serviceDeploymentArn the deployment to follow
 * @param options interval, timeout, abort signal and progress callback
 */
export async function followDeployment(
  ecs: ECSClient,
  elbv2: ElasticLoadBalancingV2Client,
  manifest: Manifest,
  serviceDeploymentArn: string,
  options: FollowOptions,
): Promise<FollowResult> {
  const now = options.now ?? Date.now;
  const started = now();
  let bakeStarted: number | undefined;
  let last: DeploymentSnapshot | undefined;
  for (;;) {
    if (options.signal.aborted) return { outcome: 'INTERRUPTED', ...(last ? { last } : {}) };
    const [deployment, targetHealth] = await Promise.all([
      describeDeployment(ecs, serviceDeploymentArn),
      readTargetHealth(elbv2, manifest.targetGroups),
    ]);
    if (!deployment)
      throw new FailedError(
        `service deployment ${serviceDeploymentArn} not found; watch the service with berth status ${manifest.environment}`,
      );
    const at = now();
    if (deployment.lifecycleStage === 'BAKE_TIME') bakeStarted ??= at;
    const bakeMinutes = deployment.deploymentConfiguration?.bakeTimeInMinutes;
    last = {
      deployment,
      targetHealth,
      elapsedSeconds: Math.round((at - started) / 1000),
      ...(bakeStarted !== undefined && deployment.lifecycleStage === 'BAKE_TIME'
        ? {
            bake: {
              elapsedSeconds: Math.round((at - bakeStarted) / 1000),
              ...(bakeMinutes !== undefined ? { totalSeconds: bakeMinutes * 60 } : {}),
            },
          }
        : {}),
    };
    options.onProgress?.(last);
    const status = deployment.status;
    if (status === 'SUCCESSFUL') return { outcome: 'SUCCESSFUL', last };
    if (status && FINAL_DEPLOYMENT_STATUSES.includes(status)) return { outcome: 'FAILED', last };
    const hook = options.stopAtPause ? pausedHook(deployment) : undefined;
    if (hook && !options.stopAtPause?.resolved.has(hook.hookId)) return { outcome: 'PAUSED', last, hook };
    if (at - started >= options.timeoutSeconds * 1000) return { outcome: 'TIMED_OUT', last };
    await sleep(options.intervalMs, options.signal);
  }
}
