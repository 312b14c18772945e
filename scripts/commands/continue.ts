import { pausedHook } from '../aws/deployment';
import { containerImageOf, describeDeployment, describeRevision, listActiveDeployments, readService } from '../aws/service';
import { readTaskDefinition } from '../aws/task-definition';
import { shortArn } from '../cli/format';
import { followSettings, openSession } from '../cli/session';
import { bindCommand, type Command } from '../cli/command';
import { BerthError, EXIT, FailedError, RefusedError } from '../core/errors';
import { formatDuration } from '../core/timing';
import { runGate } from '../release/gate';
import { followWithProgress } from '../release/roll-out';
import { gateOptions } from '../release/live-release';
import { chooseFollowTimeout, readFollowTimeout } from '../release/timing';
import { CONTINUE } from './definitions';

/**
 * `berth continue <env>`: the smoke-test gate for a deployment paused at the PAUSE hook that no berth command
 * follows (a `cdk deploy` started it, or the CI run that did died). Runs the gate as promote/deploy would,
 * then follows the deployment to its end. Records nothing: the image tag is the release commands' to record.
 */
export const continueDeployment: Command = bindCommand(CONTINUE, async ({ environment, values }, context, output) => {
  const settings = followSettings(values, context.env);
  const session = await openSession(values, context.env, environment);
  const { manifest, ecs } = session;

  // the newest deployment that waits at the gate; ECS runs one deployment of a service at a time.
  let paused: { arn: string; hook: NonNullable<ReturnType<typeof pausedHook>>; revision?: string } | undefined;
  for (const brief of await listActiveDeployments(ecs, manifest)) {
    if (!brief.serviceDeploymentArn) continue;
    const deployment = await describeDeployment(ecs, brief.serviceDeploymentArn);
    const hook = pausedHook(deployment);
    if (hook) {
      paused = {
        arn: brief.serviceDeploymentArn,
        hook,
        ...(deployment?.targetServiceRevision?.arn ? { revision: deployment.targetServiceRevision.arn } : {}),
      };
      break;
    }
  }
  if (!paused) {
    throw new RefusedError(
      `no deployment of ${manifest.service.name} waits at the smoke-test gate; nothing to continue (berth status ${environment} shows what runs)`,
    );
  }
  const image = containerImageOf(paused.revision ? await describeRevision(ecs, paused.revision) : undefined, manifest.containerName);
  const target = image?.image ?? image?.imageDigest ?? 'the new revision';

  const service = await readService(ecs, manifest);
  const running = await readTaskDefinition(ecs, service.taskDefinition);
  const timeout = await chooseFollowTimeout(settings.timeoutSeconds, () => readFollowTimeout(session, service, running.taskDefinition));

  const verdict = await runGate(
    session,
    paused.arn,
    paused.hook,
    target,
    { ...gateOptions(values, context), resumeCommand: `berth continue ${environment}` },
    output,
  );
  const id = shortArn(paused.arn);
  const followed = await followWithProgress(
    session,
    paused.arn,
    { signal: context.signal, intervalMs: settings.intervalMs, timeoutSeconds: timeout.seconds },
    output,
  );
  const deployment = followed.last?.deployment;
  const where = `${deployment?.status ?? 'running'}${deployment?.lifecycleStage ? ` at ${deployment.lifecycleStage}` : ''}`;
  if (followed.outcome === 'INTERRUPTED') throw new BerthError(`stopped following; deployment ${id} goes on (${where})`, EXIT.INTERRUPTED);
  if (followed.outcome === 'TIMED_OUT') {
    throw new BerthError(`gave up following after ${formatDuration(timeout.seconds)}; deployment ${id} is still ${where}`, EXIT.TIMED_OUT);
  }
  if (followed.outcome === 'FAILED' || !verdict.continued) {
    const why = verdict.continued ? (deployment?.statusReason ? `: ${deployment.statusReason}` : '') : ` after ${verdict.reason}`;
    throw new FailedError(
      `${target} did not reach production on ${environment}: deployment ${id} ended ${deployment?.status ?? 'FAILED'}${why}`,
    );
  }
  const record =
    environment === 'live' ? `; berth records no tag here: if ${target} is a release, berth promote live --tag <its tag> records it` : '';
  output.result(
    { environment, deployment: { arn: paused.arn, status: deployment?.status }, image: target, recorded: false },
    `deployment ${id} ${deployment?.status ?? 'SUCCESSFUL'}: ${environment} runs ${target}${record}\n${manifest.url}`,
  );
  return EXIT.OK;
});
