import { GetCommandInvocationCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import { createAgentLogCommand } from '../../../scripts/commands/agent-log';
import { EXIT } from '../../../scripts/core/errors';
import { givenInstances } from '../../_helpers/instances';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';

const agentLog = createAgentLogCommand({ pollIntervalMs: 1 });
const notYet = () => Object.assign(new Error('invocation does not exist'), { name: 'InvocationDoesNotExist' });

beforeEach(() => resetAwsMocks());

describe('berth agent-log', () => {
  test('reads the end of the agent log with Run Command and prints it', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }, { id: 'i-0bbb' }]);
    aws.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    aws.ssm
      .on(GetCommandInvocationCommand)
      .rejectsOnce(notYet())
      .resolvesOnce({ Status: 'InProgress' })
      .resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: 'level=info msg="Registered container instance"\n' });

    // WHEN
    const { code, out } = await runCommand(agentLog, ['live', '--instance', 'i-0bbb', '--lines', '50']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toBe('level=info msg="Registered container instance"\n');
    expect(aws.ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      DocumentName: 'AWS-RunShellScript',
      InstanceIds: ['i-0bbb'],
      Parameters: { commands: ['tail -n 50 /var/log/ecs/ecs-agent.log'] },
    });
    expect(aws.ssm).toHaveReceivedCommandTimes(GetCommandInvocationCommand, 3);
  });

  test('--dry-run names the command and sends nothing', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, out } = await runCommand(agentLog, ['live', '--instance', 'i-0aaa', '--dry-run']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out.trim()).toBe('would run on i-0aaa through SSM Run Command (AWS-RunShellScript): tail -n 200 /var/log/ecs/ecs-agent.log');
    expect(aws.ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });

  test('--instance is required', async () => {
    // WHEN
    const { code, err } = await runCommand(agentLog, ['live']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe('berth agent-log: --instance is required; berth instances live lists the instance ids');
  });

  test('an instance outside the group is refused and nothing is sent', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, err } = await runCommand(agentLog, ['live', '--instance', 'i-0ccc']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain("instance i-0ccc is not in live's Auto Scaling group berth-live-AutoScalingGroup; its instances: i-0aaa");
    expect(aws.ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });

  test('an instance SSM does not manage says what to check', async () => {
    // GIVEN
    const manifest = givenManifest('pre');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);
    aws.ssm
      .on(SendCommandCommand)
      .rejects(Object.assign(new Error('Instances [[i-0aaa]] not in a valid state'), { name: 'InvalidInstanceId' }));

    // WHEN
    const { code, err } = await runCommand(agentLog, ['pre', '--instance', 'i-0aaa']);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('instance i-0aaa is not reachable through SSM');
  });

  test('a failed command reports its first error line', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);
    aws.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    aws.ssm
      .on(GetCommandInvocationCommand)
      .resolves({ Status: 'Failed', ResponseCode: 1, StandardErrorContent: "tail: cannot open '/var/log/ecs/ecs-agent.log'\n" });

    // WHEN
    const { code, err } = await runCommand(agentLog, ['live', '--instance', 'i-0aaa']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err.trim().split('\n').pop()).toBe(
      "berth agent-log: reading /var/log/ecs/ecs-agent.log on i-0aaa failed: tail: cannot open '/var/log/ecs/ecs-agent.log'; open a shell with berth connect live --instance i-0aaa",
    );
  });

  test('an instance that never answers times out with a clear message', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);
    aws.ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
    aws.ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });

    // WHEN
    const { code, err } = await runCommand(agentLog, ['live', '--instance', 'i-0aaa', '--timeout', '1s']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('no answer from i-0aaa within 1s (SSM command cmd-1)');
  });
});
