import type { DeploymentLifecycleHookDetail } from '@aws-sdk/client-ecs';
import { resolvePause } from '../aws/deployment';
import type { Answer } from '../cli/confirm';
import { formatClock, shortArn } from '../cli/format';
import type { Output } from '../cli/output';
import type { Session } from '../cli/session';
import { BerthError, endsEveryCheck, EXIT } from '../core/errors';
import { formatSmokeResult, runSmokeChecks, type SmokeConnection, type SmokeResult } from './smoke';

/** How the gate asks for approval and connects its checks. */
export interface GateOptions {
  /**
   * asks "Shift production traffic to <tag>?" when the environment wants approval. Absent with `--yes`: the
   * answer is yes once the checks passed.
   */
  readonly approve?: (question: string) => Promise<Answer>;
  /** how the smoke checks connect. @default - the system's resolver and Node's CAs */
  readonly smokeConnection?: SmokeConnection;
  /** the command line that resumes at the pause, for the messages. */
  readonly resumeCommand: string;
}

/** What the gate decided: production traffic goes on, or the deployment was rolled back and why. */
export type GateVerdict = { readonly continued: true } | { readonly continued: false; readonly reason: string };

/**
 * When a paused deployment rolls back unless continued: "rolls back at 10:42 UTC unless continued".
 * @param hook the paused hook
 */
export function pauseDeadline(hook: DeploymentLifecycleHookDetail): string {
  const action = hook.timeoutAction === 'CONTINUE' ? 'continues by itself' : 'rolls back';
  return hook.expiresAt
    ? `${action} at ${formatClock(hook.expiresAt)} unless continued`
    : `${action} when its hook times out unless continued`;
}

/**
 * Whether the hook's timeout has passed: "timed out at 10:42 UTC, before production traffic was continued".
 * @param hook the paused hook
 */
function timedOut(hook: DeploymentLifecycleHookDetail): string | undefined {
  if (!hook.expiresAt || Date.now() < hook.expiresAt.getTime()) return undefined;
  return `timed out at ${formatClock(hook.expiresAt)}, before production traffic was continued`;
}

/**
 * The smoke-test gate, at a deployment ECS holds at its PAUSE hook (POST_TEST_TRAFFIC_SHIFT: the new tasks
 * have all test traffic and no production traffic): runs every smoke check through the test rule, rolls the
 * deployment back if one fails, asks for approval when the environment wants it, and continues it. While it
 * waits for an answer nothing changes; Ctrl-C leaves the deployment paused for the hook's timeout to resolve.
 * @param session clients and manifest of the environment
 * @param deploymentArn the paused deployment
 * @param hook its paused hook
 * @param tag what the deployment releases, for the question
 * @param options approval, connection and how to resume
 * @param output where to write
 */
export async function runGate(
  session: Session,
  deploymentArn: string,
  hook: DeploymentLifecycleHookDetail & { readonly hookId: string },
  tag: string,
  options: GateOptions,
  output: Output,
): Promise<GateVerdict> {
  const { manifest } = session;
  // a manifest written before berth had release settings has no checks: the pause still asks where it must.
  const release = manifest.release ?? { smoke: [], approve: manifest.environment === 'live' };
  const id = shortArn(deploymentArn);
  output.line(`deployment ${id} paused at the smoke-test gate (${hook.hookId}); ${pauseDeadline(hook)}`);

  const results: SmokeResult[] = await runSmokeChecks(
    release.smoke,
    { url: manifest.url, header: manifest.testHeader },
    options.smokeConnection,
  );
  if (release.smoke.length > 0)
    output.line(`smoke checks against the new tasks (${manifest.url}, ${manifest.testHeader.name}: ${manifest.testHeader.value}):`);
  for (const result of results) output.line(`  ${formatSmokeResult(result)}`);
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    const reason = `smoke check${failed.length > 1 ? 's' : ''} failed: ${failed.map((r) => `${r.check.path} (${r.got})`).join(', ')}`;
    output.line(`${reason}; rolling deployment ${id} back before any production traffic reaches the new tasks`);
    await resolvePause(session.ecs, deploymentArn, hook.hookId, 'ROLLBACK');
    return { continued: false, reason };
  }

  if (release.approve && options.approve) {
    const paused = `; deployment ${id} stays paused and ${pauseDeadline(hook)}: run ${options.resumeCommand} again to resume at the gate`;
    const answer = await options.approve(`Shift production traffic to ${tag}?`).catch((err: unknown) => {
      // without a terminal the question refuses; say that the release waits, and until when.
      if (err instanceof BerthError && err.exitCode === EXIT.REFUSED) throw new BerthError(`${err.message}${paused}`, EXIT.REFUSED);
      throw err;
    });
    if (answer === 'interrupted') throw new BerthError(`stopped at the smoke-test gate${paused}`, EXIT.INTERRUPTED);
    if (answer === 'no') {
      output.line(`not approved; rolling deployment ${id} back`);
      await resolvePause(session.ecs, deploymentArn, hook.hookId, 'ROLLBACK');
      return { continued: false, reason: 'production traffic not approved at the smoke-test gate' };
    }
  }
  try {
    await resolvePause(session.ecs, deploymentArn, hook.hookId, 'CONTINUE');
  } catch (err) {
    // the question has no deadline of its own: a yes after the hook's timeout finds ECS already resolving the
    // pause by its timeout action, and its refusal is that, not a fault. Anything else is.
    const late = timedOut(hook);
    if (!late || endsEveryCheck(err)) throw err;
    output.line(`the pause ${late}; ECS resolves deployment ${id} by its hook's timeout (${hook.timeoutAction ?? 'ROLLBACK'})`);
    if (hook.timeoutAction === 'CONTINUE') return { continued: true };
    return { continued: false, reason: `the smoke-test gate's pause ${late}` };
  }
  output.line(`${release.smoke.length > 0 ? 'checks passed; ' : ''}continued deployment ${id}: production traffic shifts to ${tag}`);
  return { continued: true };
}
