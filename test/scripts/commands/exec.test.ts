import { DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { exec } from '../../../scripts/commands/exec';
import { EXIT } from '../../../scripts/core/errors';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';
import { type StubTools, stubTools } from '../../_helpers/stub-tools';

const CLUSTER = 'berth-live-Cluster';
const arn = (id: string) => `arn:aws:ecs:eu-west-1:123456789012:task/${CLUSTER}/${id}`;

function fakeTask(id: string, overrides: Partial<Task> = {}): Task {
  return {
    taskArn: arn(id),
    group: 'service:berth-live-Service',
    lastStatus: 'RUNNING',
    enableExecuteCommand: true,
    startedAt: new Date('2026-11-23T10:00:00Z'),
    containers: [{ name: 'app', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }],
    ...overrides,
  };
}

function givenTasks(tasks: Task[]): void {
  aws.ecs.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn!) });
  aws.ecs.on(DescribeTasksCommand).callsFake((input: { tasks: string[] }) => ({
    tasks: tasks.filter((t) => input.tasks.some((x) => t.taskArn === x || t.taskArn!.endsWith(`/${x}`))),
  }));
}

let tools: StubTools;
beforeEach(() => {
  resetAwsMocks();
  tools = stubTools({ aws: {}, 'session-manager-plugin': {} });
});
afterEach(() => tools.cleanUp());

describe('berth exec', () => {
  test('opens a shell in the app container of the newest running task', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([fakeTask('old', { startedAt: new Date('2026-11-22T10:00:00Z') }), fakeTask('new')]);

    // WHEN
    const { code } = await runCommand(exec, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandWith(ListTasksCommand, {
      cluster: CLUSTER,
      serviceName: 'berth-live-Service',
      desiredStatus: 'RUNNING',
    });
    expect(tools.calls('aws')).toEqual([
      [
        'ecs',
        'execute-command',
        '--cluster',
        CLUSTER,
        '--task',
        arn('new'),
        '--container',
        'app',
        '--interactive',
        '--command',
        '/bin/sh',
        '--region',
        'eu-west-1',
      ],
    ]);
  });

  test('runs the command after -- in the task and container given', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([
      fakeTask('t1'),
      fakeTask('t2', {
        containers: [{ name: 'sidecar', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'RUNNING' }] }, { name: 'app' }],
      }),
    ]);

    // WHEN
    const { code } = await runCommand(exec, ['live', '--task', 't2', '--container', 'sidecar', '--', 'sh', '-c', "echo it's here"], {
      env: { PATH: tools.bin },
    });

    // THEN
    expect(code).toBe(EXIT.OK);
    const args = tools.calls('aws')[0];
    expect(args.slice(args.indexOf('--task'), args.indexOf('--interactive'))).toEqual(['--task', arn('t2'), '--container', 'sidecar']);
    expect(args[args.indexOf('--command') + 1]).toBe(`sh -c 'echo it'\\''s here'`);
  });

  test('--dry-run prints the ECS Exec command and starts nothing', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([fakeTask('t1')]);

    // WHEN
    const { code, out } = await runCommand(exec, ['live', '--dry-run', '--', 'ls', '-la'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out.trim()).toBe(
      `would run: aws ecs execute-command --cluster ${CLUSTER} --task ${arn('t1')} --container app --interactive --command 'ls -la' --region eu-west-1`,
    );
    expect(tools.calls('aws')).toEqual([]);
  });

  test('no running task is a refusal that points at doctor', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([]);

    // WHEN
    const { code, err } = await runCommand(exec, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe("berth exec: live's service berth-live-Service has no running task; find out why with berth doctor live");
    expect(tools.calls('aws')).toEqual([]);
  });

  test("a task of another service is a usage error that lists this service's tasks", async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([fakeTask('mine'), fakeTask('theirs', { group: 'service:berth-pre-Service' })]);
    aws.ecs.on(ListTasksCommand).resolves({ taskArns: [arn('mine')] });

    // WHEN
    const { code, err } = await runCommand(exec, ['live', '--task', 'theirs'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe("berth exec: task theirs is not a task of live's service berth-live-Service; its running tasks: mine");
  });

  test("an unknown container lists the task's containers", async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([fakeTask('t1')]);

    // WHEN
    const { code, err } = await runCommand(exec, ['live', '--container', 'nginx'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('task t1 has no container "nginx"; allowed: app');
  });

  test('a task without ECS Exec enabled is refused with the fix', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([fakeTask('t1', { enableExecuteCommand: false })]);

    // WHEN
    const { code, err } = await runCommand(exec, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('ECS Exec is not enabled on task t1; the stack enables it: redeploy with cdk deploy');
  });

  test('a stopped ECS Exec agent is refused with its reason', async () => {
    // GIVEN
    givenManifest('live');
    givenTasks([
      fakeTask('t1', {
        containers: [{ name: 'app', managedAgents: [{ name: 'ExecuteCommandAgent', lastStatus: 'STOPPED', reason: 'agent crashed' }] }],
      }),
    ]);

    // WHEN
    const { code, err } = await runCommand(exec, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('the ECS Exec agent in app of task t1 is STOPPED (agent crashed)');
  });

  test('a missing AWS CLI says what to install', async () => {
    // GIVEN
    givenManifest('pre');

    // WHEN
    const { code, err } = await runCommand(exec, ['pre'], { env: { PATH: '/nonexistent' } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('aws is not on PATH; install the AWS CLI v2');
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(aws.ecs.calls()).toHaveLength(0);
  });
});
