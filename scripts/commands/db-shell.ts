import { ECSClient } from '@aws-sdk/client-ecs';
import { DATABASE_CLIENT_CONTAINER_NAME, type ManifestDatabase } from '../../infra/manifest';
import { runStandaloneTask, serviceSubnets, stopTask, waitForExecAgent } from '../aws/standalone-task';
import { parseDuration } from '../core/timing';
import { awsCliEnvironment, awsCliOptions, openEnvironment } from '../cli/environment';
import { BerthError, EXIT, FailedError, RefusedError, UsageError } from '../core/errors';
import { AWS_CLI, requireTools, runTool, SESSION_MANAGER_PLUGIN } from '../cli/external-tool';
import { DEFAULT_POLL_INTERVAL_MS } from '../cli/session';
import { bindCommand, type Command } from '../cli/command';
import { DB_SHELL, DEFAULT_START_TIMEOUT } from './definitions';

/** The longest `--time-limit`: a forgotten session must not hold credentials and an instance's memory for days. */
export const MAX_TIME_LIMIT_SECONDS = 12 * 3600;

/** What ECS shows as the client task's `startedBy`, so `aws ecs list-tasks --started-by` finds them. */
export const STARTED_BY = 'berth-db-shell';

/**
 * The client command ECS Exec runs in the client container. It goes through `sh -c` so the variables
 * injected from the database secret expand there, and never reach this machine or its process list.
 * The generated password holds no character the shell would split or expand.
 * @param engine mysql or postgres
 */
export function clientCommand(engine: ManifestDatabase['engine']): string {
  return engine === 'mysql'
    ? "sh -c 'MYSQL_PWD=$DB_PASSWORD exec mysql --host=$DB_HOST --port=$DB_PORT --user=$DB_USER --ssl-mode=REQUIRED $DB_NAME'"
    : "sh -c 'PGPASSWORD=$DB_PASSWORD PGSSLMODE=require exec psql --host=$DB_HOST --port=$DB_PORT --username=$DB_USER --dbname=$DB_NAME'";
}

/** `berth db-shell <env>`. */
export const dbShell: Command = bindCommand(DB_SHELL, async ({ environment: named, values }, context, output) => {
  const timeLimitSeconds = values['time-limit'] === undefined ? undefined : parseDuration(values['time-limit'], '--time-limit');
  if (timeLimitSeconds !== undefined && timeLimitSeconds > MAX_TIME_LIMIT_SECONDS) {
    throw new UsageError(`--time-limit ${values['time-limit']} is too long; allowed: up to 12h`);
  }
  const startTimeoutSeconds = parseDuration(values.timeout ?? DEFAULT_START_TIMEOUT, '--timeout');
  const dryRun = values['dry-run'] === true;
  // tools before any AWS call, as connect and exec: a missing plugin is found even without credentials, and
  // can never leave a task behind. A dry run starts no session, so it needs neither.
  const [awsCli] = dryRun ? [AWS_CLI.name] : requireTools([AWS_CLI, SESSION_MANAGER_PLUGIN], context.env);
  const { environment, aws, manifest, clients } = await openEnvironment(named, values, context.env);
  const { database } = manifest;
  if (!database) {
    throw new RefusedError(`${environment} has no database; enable environments.${environment}.database in config and cdk deploy`);
  }

  const ecs = clients.get(ECSClient);
  const subnets = await serviceSubnets(ecs, manifest);
  const command = clientCommand(database.engine);
  const plan = {
    environment,
    cluster: manifest.cluster.name,
    capacityProvider: manifest.capacityProviderName,
    taskDefinition: database.clientTaskDefinitionFamily,
    subnets,
    securityGroup: database.clientSecurityGroupId,
    container: DATABASE_CLIENT_CONTAINER_NAME,
    command,
    timeLimit: timeLimitSeconds === undefined ? "the task definition's (1h)" : `${timeLimitSeconds}s`,
  };
  if (dryRun) {
    output.result(
      { dryRun: true, plan },
      [
        `would run ${plan.taskDefinition} on cluster ${plan.cluster} (capacity provider ${plan.capacityProvider})`,
        `  in subnets ${subnets.join(', ')} with security group ${plan.securityGroup}, ECS Exec enabled, time limit ${plan.timeLimit}`,
        `then open ${database.engine === 'mysql' ? 'mysql' : 'psql'} on ${database.endpoint}:${database.port} in container ${plan.container}: ${command}`,
        'then stop the task. Nothing was started.',
      ].join('\n'),
    );
    return EXIT.OK;
  }

  output.progress(`starting ${database.clientTaskDefinitionFamily} on ${manifest.cluster.name}…`);
  const taskArn = await runStandaloneTask(ecs, {
    cluster: manifest.cluster.name,
    taskDefinition: database.clientTaskDefinitionFamily,
    capacityProvider: manifest.capacityProviderName,
    subnets,
    securityGroups: [database.clientSecurityGroupId],
    startedBy: STARTED_BY,
    ...(timeLimitSeconds === undefined
      ? {}
      : { commandOverride: { container: DATABASE_CLIENT_CONTAINER_NAME, command: [String(timeLimitSeconds)] } }),
  });
  const taskId = taskArn.slice(taskArn.lastIndexOf('/') + 1);
  let failure: unknown;
  let sessionExitCode: number | undefined;
  try {
    const fromEnv = Number(context.env.BERTH_POLL_INTERVAL_MS);
    const intervalMs = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_POLL_INTERVAL_MS;
    output.progress(`waiting for task ${taskId} and its ECS Exec agent to run…`);
    const state = await waitForExecAgent(ecs, manifest.cluster.name, taskArn, DATABASE_CLIENT_CONTAINER_NAME, {
      intervalMs,
      timeoutSeconds: startTimeoutSeconds,
      signal: context.signal,
    });
    if (state === 'aborted') throw new BerthError('interrupted before the session started', EXIT.INTERRUPTED);
    if (state === 'timed-out') {
      throw new FailedError(
        `task ${taskId} did not run with a ready ECS Exec agent within ${values.timeout ?? DEFAULT_START_TIMEOUT}; see berth instances ${environment} for free capacity, or raise --timeout`,
      );
    }

    output.progress(`${database.engine} session on ${database.endpoint} in task ${taskId}; it ends when you quit the client`);
    // Ctrl-C belongs to the client (it cancels a query); without a listener of its own, a second
    // Ctrl-C would kill berth and skip the StopTask below.
    const ignoreInterrupt = () => undefined;
    process.on('SIGINT', ignoreInterrupt);
    try {
      const result = await runTool(
        awsCli,
        [
          'ecs',
          'execute-command',
          '--cluster',
          manifest.cluster.name,
          '--task',
          taskArn,
          '--container',
          DATABASE_CLIENT_CONTAINER_NAME,
          '--interactive',
          '--command',
          command,
          ...awsCliOptions(aws),
        ],
        { env: awsCliEnvironment(aws, context.env) },
      );
      sessionExitCode = result.exitCode;
    } finally {
      process.off('SIGINT', ignoreInterrupt);
    }
  } catch (err) {
    failure = err;
  } finally {
    // always, whatever happened: a client task left running holds the credentials and an instance's memory.
    try {
      await stopTask(ecs, manifest.cluster.name, taskArn, `berth db-shell ${environment}: session ended`);
      output.progress(`stopped task ${taskId}`);
    } catch (stopError) {
      output.warn(
        `could not stop task ${taskId} (${(stopError as Error).message.split('\n')[0]}); it stops itself at its time limit, or run: aws ecs stop-task --cluster ${manifest.cluster.name} --task ${taskId}`,
      );
    }
  }
  if (failure !== undefined) throw failure;
  if (sessionExitCode !== 0) {
    throw new FailedError(
      `aws ecs execute-command ended with exit code ${sessionExitCode} (its message is above); task ${taskId} was stopped`,
    );
  }
  output.result({ environment, task: taskArn, stopped: true });
  return EXIT.OK;
});
