import { imageDigestOf, imageTagOf } from '../aws/ecr-image';
import { followDeployment, pausedHook } from '../aws/deployment';
import { readImageTag } from '../aws/image-tag';
import { ACTIVE_DEPLOYMENT_STATUSES, containerImageOf, describeDeployment, describeRevision, readService } from '../aws/service';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { readScalableTarget, type ScalableTarget } from '../aws/scalable-target';
import { readTargetHealth } from '../aws/target-health';
import { describeScaling } from '../checks/scaling';
import { describeTraffic, readTraffic, type RuleTraffic, trafficProblems } from '../checks/load-balancer';
import { imageOf, readTaskDefinition } from '../aws/task-definition';
import { formatClock, formatSnapshot, productionShare, shortArn, shortTaskDefinition } from '../cli/format';
import type { ServiceDeployment } from '@aws-sdk/client-ecs';
import { formatDuration } from '../core/timing';
import { BerthError, endsEveryCheck, EXIT, FailedError } from '../core/errors';
import { table } from '../cli/output';
import { followSettings, openSession } from '../cli/session';
import { bindCommand, type Command } from '../cli/command';
import { chooseFollowTimeout, describeFollowTimeout, readFollowTimeout } from '../release/timing';
import { STATUS } from './definitions';

/** `berth status <env>`: what runs, the deployment state, task counts and target health. */
export const status: Command = bindCommand(STATUS, async ({ environment, values }, context, output) => {
  const follow = followSettings(values, context.env);
  const session = await openSession(values, context.env, environment);
  const { manifest, ecs } = session;

  const service = await readService(ecs, manifest);
  const [taskDefinition, deployment, revisions, targetHealth, recorded, traffic, scaling] = await Promise.all([
    readTaskDefinition(ecs, service.taskDefinition),
    service.currentServiceDeployment ? describeDeployment(ecs, service.currentServiceDeployment) : Promise.resolve(undefined),
    Promise.all(service.currentServiceRevisions.map((arn) => describeRevision(ecs, arn))),
    readTargetHealth(session.elbv2, manifest.targetGroups),
    manifest.imageTagParameter ? readImageTag(session.ssm, manifest.imageTagParameter) : Promise.resolve(undefined),
    // the rules are shown when berth may read them; status never fails for them.
    readTraffic(session.elbv2, manifest).catch((err: unknown): RuleTraffic | Error => {
      // without a network or credentials the other reads fail the same way; say it once.
      if (endsEveryCheck(err)) throw err;
      return err instanceof Error ? err : new Error(String(err));
    }),
    // the scaling range, like the rules, is shown when berth may read it.
    readScalableTarget(session.clients.get(ApplicationAutoScalingClient), manifest).catch(
      (err: unknown): ScalableTarget | undefined | Error => {
        if (endsEveryCheck(err)) throw err;
        return err instanceof Error ? err : new Error(String(err));
      },
    ),
  ]);
  const image = imageOf(taskDefinition.taskDefinition, manifest.containerName);
  const revision = revisions.find((r) => r?.taskDefinition === service.taskDefinition);
  const digest = containerImageOf(revision, manifest.containerName)?.imageDigest ?? imageDigestOf(image);
  const tag = imageTagOf(image);
  const active = Boolean(deployment?.status && ACTIVE_DEPLOYMENT_STATUSES.includes(deployment.status));
  // while a deployment moves traffic, split weights are expected; afterwards they say something is wrong.
  const problems =
    traffic instanceof Error ? [] : trafficProblems(traffic, manifest, targetHealth).filter((p) => !active || p.status === 'fail');

  const lines = [
    `${manifest.app} ${environment}  ${manifest.url}`,
    `service     ${service.name} (${service.status}, ${service.strategy}${service.bakeTimeInMinutes !== undefined ? `, bake ${service.bakeTimeInMinutes}m` : ''})`,
    `revision    ${shortTaskDefinition(service.taskDefinition)}`,
    `image       ${image ?? 'unknown'}`,
    `digest      ${digest ?? 'unknown (no service revision yet)'}`,
    ...(manifest.imageTagParameter
      ? [
          `image tag   ${recorded?.tag ?? '(not set)'} in ${manifest.imageTagParameter}${recorded?.version !== undefined ? ` (version ${recorded.version})` : ''}`,
        ]
      : []),
    deployment
      ? `deployment  ${deployment.status ?? 'UNKNOWN'}${deployment.lifecycleStage ? ` at ${deployment.lifecycleStage}` : ''} (${shortArn(deployment.serviceDeploymentArn ?? '')}${deployment.startedAt ? `, started ${deployment.startedAt.toISOString()}` : ''}${deployment.finishedAt ? `, finished ${deployment.finishedAt.toISOString()}` : ''})${deployment.statusReason ? `: ${deployment.statusReason}` : ''}`
      : 'deployment  none reported',
    // a canary or linear step, the production share, and a pause at the smoke-test gate with its deadline.
    ...(deployment && active ? gateAndTraffic(deployment) : []),
    `tasks       desired ${service.desiredCount}, running ${service.runningCount}, pending ${service.pendingCount}`,
    `scaling     ${scaling instanceof Error ? `unknown (${scaling.message.split('\n')[0]})` : describeScaling(scaling, service)}`,
    `traffic     ${traffic instanceof Error ? `unknown (${traffic.message.split('\n')[0]})` : describeTraffic(traffic)}`,
    'targets',
    ...table(
      ['  group', 'name', 'healthy'],
      targetHealth.map((g) => [`  ${g.label}`, g.name, `${g.healthy}/${g.total}`]),
    ).split('\n'),
    ...targetHealth.flatMap((g) =>
      g.targets
        .filter((t) => t.state !== 'healthy')
        .map(
          (t) =>
            `    ${g.label} ${t.id}${t.port ? `:${t.port}` : ''} ${t.state}${t.reason ? ` ${t.reason}` : ''}${t.description ? ` (${t.description})` : ''}`,
        ),
    ),
  ];
  for (const p of problems) lines.push(`note: ${p.problem}; ${p.fix}`);
  if (environment === 'live' && recorded && tag && recorded.tag !== tag && (!deployment?.status || deployment.status === 'SUCCESSFUL')) {
    lines.push(
      `note: live runs ${tag} but ${manifest.imageTagParameter} says ${recorded.tag}; record it with berth promote live --tag ${tag}`,
    );
  }
  const document = {
    environment,
    url: manifest.url,
    service: {
      name: service.name,
      status: service.status,
      strategy: service.strategy,
      bakeTimeInMinutes: service.bakeTimeInMinutes,
      desiredCount: service.desiredCount,
      runningCount: service.runningCount,
      pendingCount: service.pendingCount,
    },
    taskDefinition: service.taskDefinition,
    image,
    tag,
    digest,
    imageTag: manifest.imageTagParameter
      ? { parameter: manifest.imageTagParameter, tag: recorded?.tag, version: recorded?.version }
      : undefined,
    deployment: deployment
      ? {
          arn: deployment.serviceDeploymentArn,
          status: deployment.status,
          lifecycleStage: deployment.lifecycleStage,
          statusReason: deployment.statusReason,
          startedAt: deployment.startedAt,
          finishedAt: deployment.finishedAt,
        }
      : undefined,
    scaling:
      scaling instanceof Error
        ? { error: scaling.message.split('\n')[0] }
        : scaling
          ? { autoScaling: true, minTasks: scaling.minCapacity, maxTasks: scaling.maxCapacity, suspended: scaling.suspended }
          : { autoScaling: false },
    targetGroups: targetHealth,
    traffic: traffic instanceof Error ? undefined : { ...traffic, problems },
    events: service.events,
  };
  if (!values.watch || !active || !deployment?.serviceDeploymentArn) {
    output.result(document, lines.join('\n'));
    return EXIT.OK;
  }

  const timeout = await chooseFollowTimeout(follow.timeoutSeconds, () =>
    readFollowTimeout(session, service, taskDefinition.taskDefinition),
  );
  output.line(lines.join('\n'));
  output.line(`watching for up to ${describeFollowTimeout(timeout)}`);
  const followed = await followDeployment(ecs, session.elbv2, manifest, deployment.serviceDeploymentArn, {
    intervalMs: follow.intervalMs,
    timeoutSeconds: timeout.seconds,
    signal: context.signal,
    onProgress: (snapshot) => output.progress(formatSnapshot(snapshot)),
  });
  const last = followed.last?.deployment;
  const id = shortArn(deployment.serviceDeploymentArn);
  // a last state line also ends a progress line on a terminal before any error is printed.
  output.line(`deployment ${id}: ${last?.status ?? 'UNKNOWN'}${last?.lifecycleStage ? ` at ${last.lifecycleStage}` : ''}`);
  if (followed.outcome === 'INTERRUPTED')
    throw new BerthError(`stopped watching; deployment ${id} goes on (berth status ${environment} --watch)`, EXIT.INTERRUPTED);
  if (followed.outcome === 'TIMED_OUT') {
    throw new BerthError(
      `gave up watching after ${formatDuration(timeout.seconds)}; deployment ${id} is still ${last?.status ?? 'running'}`,
      EXIT.TIMED_OUT,
    );
  }
  if (followed.outcome === 'FAILED')
    throw new FailedError(`deployment ${id} ended ${last?.status ?? 'FAILED'}${last?.statusReason ? `: ${last.statusReason}` : ''}`);
  output.result({ ...document, deployment: { ...document.deployment, status: last?.status, lifecycleStage: last?.lifecycleStage } });
  return EXIT.OK;
});

/** The progress of a moving deployment: the strategy step, the production share, the pause at the gate. */
function gateAndTraffic(deployment: ServiceDeployment): string[] {
  const share = productionShare(deployment);
  const hook = pausedHook(deployment);
  const action = hook?.timeoutAction === 'CONTINUE' ? 'continues by itself' : 'rolls back';
  return [
    ...(share.length > 0 ? [`progress    ${share.join(' · ')}`] : []),
    ...(hook
      ? [
          `gate        paused at the smoke-test gate, ${action}${hook.expiresAt ? ` at ${formatClock(hook.expiresAt)}` : ''} unless continued`,
        ]
      : []),
  ];
}
