import { ECSClient, type Task } from '@aws-sdk/client-ecs';
import { describeTasks, listServiceTasks, taskId } from '../aws/tasks';
import { awsCliEnvironment, awsCliOptions, openEnvironment } from '../cli/environment';
import { EXIT, FailedError, RefusedError, UsageError } from '../core/errors';
import { AWS_CLI, requireTools, runTool, SESSION_MANAGER_PLUGIN } from '../cli/external-tool';
import { bindCommand, type Command } from '../cli/command';
import { DEFAULT_EXEC_COMMAND, EXEC } from './definitions';

/** Joins arguments into the one command string ECS Exec takes, quoting those a shell would split. */
function commandString(args: readonly string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** `berth exec <env>`. */
export const exec: Command = bindCommand(EXEC, async ({ environment: named, values, rest }, context, output) => {
  // tools before any AWS call: a missing plugin is found even without credentials.
  const [awsCli] = requireTools([AWS_CLI, SESSION_MANAGER_PLUGIN], context.env);
  const { environment, aws, manifest, clients } = await openEnvironment(named, values, context.env);
  const ecs = clients.get(ECSClient);
  const serviceGroup = `service:${manifest.service.name}`;

  let task: Task | undefined;
  if (values.task !== undefined) {
    task = (await describeTasks(ecs, manifest.cluster.name, [values.task]))[0];
    if (!task || task.group !== serviceGroup) {
      const running = await listServiceTasks(ecs, manifest.cluster.name, manifest.service.name, 'RUNNING');
      const ids = running.map((t) => taskId(t.taskArn ?? ''));
      throw new UsageError(
        `task ${values.task} is not a task of ${environment}'s service ${manifest.service.name}; ${ids.length > 0 ? `its running tasks: ${ids.join(', ')}` : 'it has no running task'}`,
      );
    }
    if (task.lastStatus !== 'RUNNING') {
      throw new RefusedError(
        `task ${taskId(task.taskArn ?? '')} is ${task.lastStatus ?? 'not running'}; leave out --task to use the newest running one`,
      );
    }
  } else {
    task = (await listServiceTasks(ecs, manifest.cluster.name, manifest.service.name, 'RUNNING')).find((t) => t.lastStatus === 'RUNNING');
    if (!task) {
      throw new RefusedError(
        `${environment}'s service ${manifest.service.name} has no running task; find out why with berth doctor ${environment}`,
      );
    }
  }

  const id = taskId(task.taskArn ?? '');
  const containerName = values.container ?? manifest.containerName;
  const container = task.containers?.find((c) => c.name === containerName);
  if (!container) {
    throw new UsageError(
      `task ${id} has no container "${containerName}"; allowed: ${(task.containers ?? []).map((c) => c.name).join(', ')}`,
    );
  }
  if (!task.enableExecuteCommand) {
    throw new RefusedError(
      `ECS Exec is not enabled on task ${id}; the stack enables it: redeploy with cdk deploy, then new tasks accept berth exec`,
    );
  }
  const agent = container.managedAgents?.find((a) => a.name === 'ExecuteCommandAgent');
  if (agent && agent.lastStatus !== 'RUNNING') {
    throw new RefusedError(
      `the ECS Exec agent in ${containerName} of task ${id} is ${agent.lastStatus ?? 'not running'}${agent.reason ? ` (${agent.reason})` : ''}; try another task with --task, or restart this one`,
    );
  }

  const command = rest.length > 0 ? commandString(rest) : DEFAULT_EXEC_COMMAND;
  const args = [
    'ecs',
    'execute-command',
    '--cluster',
    manifest.cluster.name,
    '--task',
    task.taskArn ?? id,
    '--container',
    containerName,
    '--interactive',
    '--command',
    command,
    ...awsCliOptions(aws),
  ];
  if (values['dry-run']) {
    output.result(
      { dryRun: true, task: id, container: containerName, command: ['aws', ...args] },
      `would run: aws ${args.map((a) => commandString([a])).join(' ')}`,
    );
    return EXIT.OK;
  }
  // a plain line, not a progress line: the session's own output follows on the same terminal.
  context.streams.stderr.write(`ECS Exec into ${containerName} of task ${id} (${environment}): ${command}\n`);
  const result = await runTool(awsCli, args, { env: awsCliEnvironment(aws, context.env) });
  if (result.exitCode !== 0) {
    throw new FailedError(
      `aws ecs execute-command ended with exit code ${result.exitCode} (its message is above); TargetNotConnectedException means the task's ECS Exec agent is not reachable: try another task with --task`,
    );
  }
  return EXIT.OK;
});
