import { DescribeServicesCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from '@aws-sdk/client-ecs';
import type { ManifestDatabase } from '../../../infra/manifest';
import { EXIT } from '../../../scripts/core/errors';
import { clientCommand, dbShell } from '../../../scripts/commands/db-shell';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';
import { type StubTools, stubTools } from '../../_helpers/stub-tools';

const CLUSTER = 'berth-live-Cluster';
const TASK_ARN = `arn:aws:ecs:eu-west-1:123456789012:task/${CLUSTER}/0123456789abcdef0123456789abcdef`;
const SUBNETS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2'];

const DATABASE: ManifestDatabase = {
  engine: 'mysql',
  endpoint: 'berth-live-db.abcdefghijkl.eu-west-1.rds.amazonaws.com',
  port: 3306,
  secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:DatabaseSecret-AbCdEf',
  clientTaskDefinitionFamily: 'berth-live-db-client',
  clientSecurityGroupId: 'sg-0123456789abcdef0',
};

function clientTask(overrides: Partial<Task> = {}, agentStatus = 'RUNNING'): Task {
  return {
    taskArn: TASK_ARN,
    lastStatus: 'RUNNING',
    desiredStatus: 'RUNNING',
    containers: [{ name: 'client', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: agentStatus }] }],
    ...overrides,
  };
}

/** A live environment with a database whose service runs in two subnets and whose client task starts. */
function givenDatabaseEnvironment(database: ManifestDatabase = DATABASE): void {
  givenManifest('live', { database });
  aws.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: 'berth-live-Service',
        status: 'ACTIVE',
        networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: ['sg-0service000000000'] } },
      },
    ],
  });
  aws.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK_ARN }], failures: [] });
  aws.ecs
    .on(DescribeTasksCommand)
    .resolvesOnce({ tasks: [clientTask({ lastStatus: 'PROVISIONING' }, 'PENDING')] })
    .resolvesOnce({ tasks: [clientTask({}, 'PENDING')] })
    .resolves({ tasks: [clientTask()] });
  aws.ecs.on(StopTaskCommand).resolves({});
}

let tools: StubTools;
const env = () => ({ PATH: tools.bin, BERTH_POLL_INTERVAL_MS: '1' });
beforeEach(() => {
  resetAwsMocks();
  tools = stubTools({ aws: {}, 'session-manager-plugin': {} });
});
afterEach(() => tools.cleanUp());

describe('berth db-shell', () => {
  test('refuses with one line and exit 3 when the environment has no database, and starts nothing', async () => {
    // GIVEN
    givenManifest('live');

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toBe('berth db-shell: live has no database; enable environments.live.database in config and cdk deploy\n');
    expect(aws.ecs).not.toHaveReceivedCommand(RunTaskCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(DescribeServicesCommand);
    expect(tools.calls('aws')).toEqual([]);
  });

  test("runs the client task in the service's subnets with the client security group and ECS Exec enabled", async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeServicesCommand, {
      cluster: `arn:aws:ecs:eu-west-1:123456789012:cluster/${CLUSTER}`,
      services: [`arn:aws:ecs:eu-west-1:123456789012:service/${CLUSTER}/berth-live-Service`],
    });
    expect(aws.ecs).toHaveReceivedCommandTimes(RunTaskCommand, 1);
    const input = aws.ecs.commandCalls(RunTaskCommand)[0].args[0].input;
    expect(input).toEqual({
      cluster: CLUSTER,
      taskDefinition: 'berth-live-db-client',
      count: 1,
      capacityProviderStrategy: [{ capacityProvider: 'berth-live-CapacityProvider', weight: 1 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: SUBNETS, securityGroups: ['sg-0123456789abcdef0'] } },
      enableExecuteCommand: true,
      startedBy: 'berth-db-shell',
      propagateTags: 'TASK_DEFINITION',
    });
  });

  test('waits for the task and its ECS Exec agent, opens mysql through aws ecs execute-command, then stops the task', async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code } = await runCommand(dbShell, ['live', '--profile', 'ops'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandTimes(DescribeTasksCommand, 3);
    expect(tools.calls('aws')).toEqual([
      [
        'ecs',
        'execute-command',
        '--cluster',
        CLUSTER,
        '--task',
        TASK_ARN,
        '--container',
        'client',
        '--interactive',
        '--command',
        "sh -c 'MYSQL_PWD=$DB_PASSWORD exec mysql --host=$DB_HOST --port=$DB_PORT --user=$DB_USER --ssl-mode=REQUIRED $DB_NAME'",
        '--region',
        'eu-west-1',
        '--profile',
        'ops',
      ],
    ]);
    expect(aws.ecs).toHaveReceivedCommandTimes(StopTaskCommand, 1);
    expect(aws.ecs).toHaveReceivedCommandWith(StopTaskCommand, { cluster: CLUSTER, task: TASK_ARN });
  });

  test('opens psql for a PostgreSQL database', async () => {
    // GIVEN
    givenDatabaseEnvironment({ ...DATABASE, engine: 'postgres', port: 5432 });

    // WHEN
    const { code } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    const args = tools.calls('aws')[0];
    expect(args[args.indexOf('--command') + 1]).toBe(clientCommand('postgres'));
    expect(clientCommand('postgres')).toContain('exec psql --host=$DB_HOST --port=$DB_PORT --username=$DB_USER --dbname=$DB_NAME');
    expect(clientCommand('postgres')).toContain('PGSSLMODE=require');
  });

  test('stops the task when the session fails, and says so with exit 4', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ aws: { exitCode: 255 }, 'session-manager-plugin': {} });
    givenDatabaseEnvironment();

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('aws ecs execute-command ended with exit code 255');
    expect(err).toContain('was stopped');
    expect(aws.ecs).toHaveReceivedCommandWith(StopTaskCommand, { cluster: CLUSTER, task: TASK_ARN });
  });

  test("stops the task when it stops before the session starts, with ECS's reason", async () => {
    // GIVEN
    givenDatabaseEnvironment();
    aws.ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        clientTask({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: 'CannotPullContainerError: pull access denied' }),
      ],
    });

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('CannotPullContainerError');
    expect(tools.calls('aws')).toEqual([]);
    expect(aws.ecs).toHaveReceivedCommandWith(StopTaskCommand, { task: TASK_ARN });
  });

  test('stops the task on Ctrl-C while it waits for the task, and exits 130', async () => {
    // GIVEN
    givenDatabaseEnvironment();
    aws.ecs.on(DescribeTasksCommand).resolves({ tasks: [clientTask({ lastStatus: 'PROVISIONING' }, 'PENDING')] });
    const controller = new AbortController();
    aws.ecs.on(RunTaskCommand).callsFake(() => {
      setTimeout(() => controller.abort(), 20);
      return { tasks: [{ taskArn: TASK_ARN }] };
    });

    // WHEN
    const { code } = await runCommand(dbShell, ['live'], { env: env(), signal: controller.signal });

    // THEN
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(tools.calls('aws')).toEqual([]);
    expect(aws.ecs).toHaveReceivedCommandWith(StopTaskCommand, { task: TASK_ARN });
  });

  test('stops the task when it does not get ready within --timeout', async () => {
    // GIVEN
    givenDatabaseEnvironment();
    aws.ecs.on(DescribeTasksCommand).resolves({ tasks: [clientTask({}, 'PENDING')] });

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live', '--timeout', '1s'], { env: { ...env(), BERTH_POLL_INTERVAL_MS: '200' } });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('did not run with a ready ECS Exec agent within 1s');
    expect(aws.ecs).toHaveReceivedCommandWith(StopTaskCommand, { task: TASK_ARN });
  });

  test("--time-limit replaces the client's sleep", async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code } = await runCommand(dbShell, ['live', '--time-limit', '2h'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandWith(RunTaskCommand, {
      overrides: { containerOverrides: [{ name: 'client', command: ['7200'] }] },
    });
  });

  test('--time-limit above 12 hours is a usage error', async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live', '--time-limit', '2d'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('--time-limit 2d is too long; allowed: up to 12h');
    expect(aws.ecs).not.toHaveReceivedCommand(RunTaskCommand);
  });

  test('--dry-run prints the plan and starts nothing, even without the AWS CLI', async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code, out } = await runCommand(dbShell, ['live', '--dry-run'], { env: { PATH: '' } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('would run berth-live-db-client on cluster berth-live-Cluster (capacity provider berth-live-CapacityProvider)');
    expect(out).toContain(`in subnets ${SUBNETS.join(', ')} with security group sg-0123456789abcdef0`);
    expect(out).toContain('Nothing was started.');
    expect(aws.ecs).not.toHaveReceivedCommand(RunTaskCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(StopTaskCommand);
  });

  test('--dry-run --json prints the plan as one JSON document', async () => {
    // GIVEN
    givenDatabaseEnvironment();

    // WHEN
    const { code, out } = await runCommand(dbShell, ['live', '--dry-run', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out)).toMatchObject({ dryRun: true, plan: { taskDefinition: 'berth-live-db-client', subnets: SUBNETS } });
  });

  test('a missing Session Manager plugin is a refusal before any AWS call, the manifest included', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ aws: {} });
    givenDatabaseEnvironment();

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN: as connect and exec do, so the message says what to install even without credentials.
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('session-manager-plugin is not on PATH');
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(aws.ecs).not.toHaveReceivedCommand(RunTaskCommand);
  });

  test("a task ECS cannot place is a failure with ECS's reason, and there is nothing to stop", async () => {
    // GIVEN
    givenDatabaseEnvironment();
    aws.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: 'RESOURCE:MEMORY' }] });

    // WHEN
    const { code, err } = await runCommand(dbShell, ['live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('ECS did not start berth-live-db-client: RESOURCE:MEMORY');
    expect(aws.ecs).not.toHaveReceivedCommand(StopTaskCommand);
  });
});
