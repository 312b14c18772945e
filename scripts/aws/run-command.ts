import { GetCommandInvocationCommand, SendCommandCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { FailedError, RefusedError } from '../core/errors';
import { sleep } from '../core/timing';
import { withPermission } from './permission';

/** How a shell command on an instance ended. */
export interface ShellCommandResult {
  /** SSM's final status: `Success`, `Failed`, `Cancelled` or `TimedOut`. */
  readonly status: string;
  /** what the command printed on stdout (SSM keeps the first 24,000 characters). */
  readonly stdout: string;
  /** what it printed on stderr. */
  readonly stderr: string;
  /** its exit code, when it ran. */
  readonly exitCode?: number;
}

/** How to wait for the command. */
export interface WaitOptions {
  /** between two GetCommandInvocation calls. */
  readonly pollIntervalMs: number;
  /** give up after this long. */
  readonly timeoutMs: number;
  /** Ctrl-C. */
  readonly signal: AbortSignal;
  /** shown in the SSM console's command history, so a colleague sees who ran what. */
  readonly comment: string;
}

const FINAL = new Set(['Success', 'Failed', 'Cancelled', 'TimedOut']);

/**
 * Runs a shell command on one instance with SSM Run Command (AWS-RunShellScript) and waits for it.
 * @param ssm an SSM client
 * @param instanceId the instance
 * @param commands the shell lines
 * @param options polling, timeout, abort signal and comment
 * @returns the result, or undefined when Ctrl-C came first
 */
export async function runShellCommand(
  ssm: SSMClient,
  instanceId: string,
  commands: readonly string[],
  options: WaitOptions,
): Promise<ShellCommandResult | undefined> {
  let commandId: string | undefined;
  try {
    const sent = await withPermission('ssm:SendCommand', () =>
      ssm.send(
        new SendCommandCommand({
          DocumentName: 'AWS-RunShellScript',
          InstanceIds: [instanceId],
          Parameters: { commands: [...commands] },
          Comment: options.comment.slice(0, 100),
        }),
      ),
    );
    commandId = sent.Command?.CommandId;
  } catch (err) {
    if ((err as Error).name === 'InvalidInstanceId') {
      throw new RefusedError(
        `instance ${instanceId} is not reachable through SSM (its SSM agent is not running or not registered); check the instance role and the agent, or use berth connect <env> --ssh`,
      );
    }
    throw err;
  }
  if (!commandId) throw new FailedError(`SSM SendCommand returned no command id for ${instanceId}; try again`);
  const id = commandId;
  const deadline = Date.now() + options.timeoutMs;
  while (await sleep(options.pollIntervalMs, options.signal)) {
    let invocation;
    try {
      invocation = await withPermission('ssm:GetCommandInvocation', () =>
        ssm.send(new GetCommandInvocationCommand({ CommandId: id, InstanceId: instanceId })),
      );
    } catch (err) {
      // right after SendCommand the invocation may not exist yet.
      if ((err as Error).name !== 'InvocationDoesNotExist') throw err;
    }
    if (invocation?.Status && FINAL.has(invocation.Status)) {
      return {
        status: invocation.Status,
        stdout: invocation.StandardOutputContent ?? '',
        stderr: invocation.StandardErrorContent ?? '',
        ...(invocation.ResponseCode !== undefined && invocation.ResponseCode >= 0 ? { exitCode: invocation.ResponseCode } : {}),
      };
    }
    if (Date.now() > deadline) {
      throw new FailedError(
        `no answer from ${instanceId} within ${Math.round(options.timeoutMs / 1000)}s (SSM command ${id}); the instance may be overloaded: try again with a longer --timeout`,
      );
    }
  }
  return undefined;
}
