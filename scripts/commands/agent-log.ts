import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { describeAutoScalingGroup } from '../aws/auto-scaling-group';
import { requireEnvironmentInstance } from '../aws/environment-instances';
import { runShellCommand } from '../aws/run-command';
import { COMMON_OPTIONS_HELP, parseCommandLine } from '../cli/args';
import { parseDuration } from '../core/timing';
import { openEnvironment } from '../cli/environment';
import { EXIT, FailedError, UsageError } from '../core/errors';
import type { Command } from '../cli/command';

/** Where the ECS agent of the ECS-optimized Amazon Linux 2023 AMI writes its log. */
export const ECS_AGENT_LOG = '/var/log/ecs/ecs-agent.log';

const USAGE = `Usage: berth agent-log <pre|live> --instance i-… [--lines 200] [options]

Prints the end of the ECS agent log (${ECS_AGENT_LOG}) of one of the environment's instances, read with
SSM Run Command: no shell, no open port. The instance must belong to the environment's Auto Scaling group.
SSM returns at most 24,000 characters; for more, berth connect <env> --instance i-… and read the file.

Options:
  --instance <id>   the instance (berth instances <env> lists them); required
  --lines <n>       how many lines from the end (default: 200)
${COMMON_OPTIONS_HELP.replace('how long to follow a deployment, e.g. 30m (default: 30m)', 'how long to wait for the instance (default: 60s)')}
`;

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
  return {
    name: 'agent-log',
    summary: "print an instance's ECS agent log through SSM Run Command",
    usage: USAGE,
    async run(context, output) {
      const { values, positionals } = parseCommandLine(context.argv, { instance: { type: 'string' }, lines: { type: 'string' } });
      if (values.instance === undefined)
        throw new UsageError(`--instance is required; berth instances ${positionals[0] ?? '<env>'} lists the instance ids`);
      if (!/^i-[0-9a-f]+$/.test(values.instance)) {
        throw new UsageError(
          `--instance "${values.instance}" is not an instance id; allowed: i- followed by hex digits, as berth instances lists them`,
        );
      }
      const lines = values.lines ?? '200';
      if (!/^[1-9]\d{0,4}$/.test(lines)) throw new UsageError(`--lines "${lines}" is not allowed; allowed: a whole number from 1 to 99999`);
      const timeoutMs = parseDuration(values.timeout ?? '60s', '--timeout') * 1000;
      const { environment, manifest, ssm, clients } = await openEnvironment(positionals[0], values, context.env);

      const group = await describeAutoScalingGroup(clients.get(AutoScalingClient), manifest.autoScalingGroupName);
      const members = (group.Instances ?? []).map((i) => ({ instanceId: i.InstanceId ?? '' }));
      requireEnvironmentInstance(members, values.instance, environment, manifest.autoScalingGroupName);

      const command = `tail -n ${lines} ${ECS_AGENT_LOG}`;
      if (values['dry-run']) {
        output.result(
          { dryRun: true, instanceId: values.instance, command },
          `would run on ${values.instance} through SSM Run Command (AWS-RunShellScript): ${command}`,
        );
        return EXIT.OK;
      }
      output.progress(`reading the last ${lines} lines of ${ECS_AGENT_LOG} on ${values.instance} through SSM…`);
      const result = await runShellCommand(ssm, values.instance, [command], {
        pollIntervalMs: dependencies.pollIntervalMs,
        timeoutMs,
        signal: context.signal,
        comment: `berth agent-log ${environment}`,
      });
      if (result === undefined) return EXIT.INTERRUPTED;
      if (result.status !== 'Success') {
        const reason = result.stderr.trim().split('\n')[0] || `status ${result.status}`;
        throw new FailedError(
          `reading ${ECS_AGENT_LOG} on ${values.instance} failed: ${reason}; open a shell with berth connect ${environment} --instance ${values.instance}`,
        );
      }
      output.result({ environment, instanceId: values.instance, file: ECS_AGENT_LOG, log: result.stdout }, result.stdout);
      return EXIT.OK;
    },
  };
}

/** `berth agent-log <env> --instance i-…`. */
export const agentLog: Command = createAgentLogCommand({ pollIntervalMs: 1000 });
