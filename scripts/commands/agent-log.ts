import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { describeAutoScalingGroup } from '../aws/auto-scaling-group';
import { requireEnvironmentInstance } from '../aws/environment-instances';
import { runShellCommand } from '../aws/run-command';
import { parseDuration } from '../core/timing';
import { openEnvironment } from '../cli/environment';
import { EXIT, FailedError, UsageError } from '../core/errors';
import { bindCommand, type Command } from '../cli/command';
import { AGENT_LOG, DEFAULT_AGENT_LOG_TIMEOUT, ECS_AGENT_LOG } from './definitions';

/** What the agent-log command can be built with; tests shorten the poll interval. */
export interface AgentLogDependencies {
  /** between two checks of the command's status. */
  readonly pollIntervalMs: number;
}

/**
 * Builds `berth agent-log` with its timing.
 * @param dependencies the poll interval
 */
export function createAgentLogCommand(dependencies: AgentLogDependencies): Command {
  return bindCommand(AGENT_LOG, async ({ environment: named, values }, context, output) => {
    // the shared parser refused a command line without --instance.
    const instanceId = values.instance ?? '';
    if (!/^i-[0-9a-f]+$/.test(instanceId)) {
      throw new UsageError(
        `--instance "${instanceId}" is not an instance id; allowed: i- followed by hex digits, as berth instances lists them`,
      );
    }
    const lines = values.lines ?? '200';
    if (!/^[1-9]\d{0,4}$/.test(lines)) throw new UsageError(`--lines "${lines}" is not allowed; allowed: a whole number from 1 to 99999`);
    const timeoutMs = parseDuration(values.timeout ?? DEFAULT_AGENT_LOG_TIMEOUT, '--timeout') * 1000;
    const { environment, manifest, ssm, clients } = await openEnvironment(named, values, context.env);

    const group = await describeAutoScalingGroup(clients.get(AutoScalingClient), manifest.autoScalingGroupName);
    const members = (group.Instances ?? []).map((i) => ({ instanceId: i.InstanceId ?? '' }));
    requireEnvironmentInstance(members, instanceId, environment, manifest.autoScalingGroupName);

    const command = `tail -n ${lines} ${ECS_AGENT_LOG}`;
    if (values['dry-run']) {
      output.result(
        { dryRun: true, instanceId, command },
        `would run on ${instanceId} through SSM Run Command (AWS-RunShellScript): ${command}`,
      );
      return EXIT.OK;
    }
    output.progress(`reading the last ${lines} lines of ${ECS_AGENT_LOG} on ${instanceId} through SSM…`);
    const result = await runShellCommand(ssm, instanceId, [command], {
      pollIntervalMs: dependencies.pollIntervalMs,
      timeoutMs,
      signal: context.signal,
      comment: `berth agent-log ${environment}`,
    });
    if (result === undefined) return EXIT.INTERRUPTED;
    if (result.status !== 'Success') {
      const reason = result.stderr.trim().split('\n')[0] || `status ${result.status}`;
      throw new FailedError(
        `reading ${ECS_AGENT_LOG} on ${instanceId} failed: ${reason}; open a shell with berth connect ${environment} --instance ${instanceId}`,
      );
    }
    output.result({ environment, instanceId: instanceId, file: ECS_AGENT_LOG, log: result.stdout }, result.stdout);
    return EXIT.OK;
  });
}

/** `berth agent-log <env> --instance i-…`. */
export const agentLog: Command = createAgentLogCommand({ pollIntervalMs: 1000 });
