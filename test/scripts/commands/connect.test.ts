import * as fs from 'node:fs';
import { PassThrough } from 'node:stream';
import { SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { connect } from '../../../scripts/commands/connect';
import { EXIT } from '../../../scripts/core/errors';
import { givenInstances } from '../../_helpers/instances';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { givenManifest, runCommand } from '../../_helpers/run-command';
import { type StubTools, stubTools } from '../../_helpers/stub-tools';

// the stub ssh-keygen writes the key pair where -f says, as the real one does.
const KEYGEN = `while [ $# -gt 0 ]; do if [ "$1" = "-f" ]; then shift; echo 'PRIVATE' > "$1"; echo 'ssh-ed25519 AAAAC3Nza berth' > "$1.pub"; fi; shift; done`;

let tools: StubTools;
beforeEach(() => {
  resetAwsMocks();
  tools = stubTools({ aws: {}, 'session-manager-plugin': {}, ssh: {}, 'ssh-keygen': { script: KEYGEN } });
});
afterEach(() => tools.cleanUp());

describe('berth connect over SSM', () => {
  test('the only instance gets an SSM session through the AWS CLI', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code } = await runCommand(connect, ['live', '--profile', 'ops'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(tools.calls('aws')).toEqual([['ssm', 'start-session', '--target', 'i-0aaa', '--region', 'eu-west-1', '--profile', 'ops']]);
  });

  test('--dry-run names the instance and the command, and starts nothing', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, out } = await runCommand(connect, ['live', '--dry-run'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out.trim()).toBe('would run: aws ssm start-session --target i-0aaa --region eu-west-1');
    expect(tools.calls('aws')).toEqual([]);
  });

  test('several instances without a terminal is a usage error that lists their ids', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }, { id: 'i-0bbb' }]);

    // WHEN
    const { code, err } = await runCommand(connect, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe('berth connect: live has 2 running instances (i-0aaa, i-0bbb); pass --instance <id>');
    expect(tools.calls('aws')).toEqual([]);
  });

  test('several instances on a terminal are offered as a list to pick from', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }, { id: 'i-0bbb', az: 'eu-west-1b' }]);
    const stdin: PassThrough & { isTTY?: boolean } = new PassThrough();
    stdin.isTTY = true;
    stdin.write('2\n');

    // WHEN
    const { code, err } = await runCommand(connect, ['live'], { env: { PATH: tools.bin }, stdin });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(err).toContain('2) i-0bbb  eu-west-1b');
    expect(err).toContain('instance [1-2]: ');
    expect(tools.calls('aws')[0]).toEqual(expect.arrayContaining(['--target', 'i-0bbb']));
  });

  test('an instance of another group is refused with the ids of this one', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, err } = await runCommand(connect, ['live', '--instance', 'i-0fff'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe(
      "berth connect: instance i-0fff is not in live's Auto Scaling group berth-live-AutoScalingGroup; its instances: i-0aaa (see berth instances live)",
    );
    expect(tools.calls('aws')).toEqual([]);
  });

  test('a missing Session Manager plugin says what to install, before any AWS call', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ aws: {} });
    givenManifest('live');

    // WHEN
    const { code, err } = await runCommand(connect, ['live'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('session-manager-plugin is not on PATH; install the Session Manager plugin for the AWS CLI');
    expect(aws.ssm.calls()).toHaveLength(0);
    expect(aws.autoScaling.calls()).toHaveLength(0);
  });

  test('a session that fails says so with a non-zero exit', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ aws: { exitCode: 255 }, 'session-manager-plugin': {} });
    const manifest = givenManifest('pre');
    givenInstances(manifest, [{ id: 'i-0aaa' }]);

    // WHEN
    const { code, err } = await runCommand(connect, ['pre'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('aws ssm start-session ended with exit code 255');
  });
});

describe('berth connect --ssh', () => {
  test('a throwaway key is pushed for ec2-user and ssh goes to the public IP', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa', publicIp: '203.0.113.7', az: 'eu-west-1b' }]);
    aws.instanceConnect.on(SendSSHPublicKeyCommand).resolves({ Success: true, RequestId: 'r' });

    // WHEN
    const { code } = await runCommand(connect, ['live', '--ssh'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.instanceConnect).toHaveReceivedCommandWith(SendSSHPublicKeyCommand, {
      InstanceId: 'i-0aaa',
      InstanceOSUser: 'ec2-user',
      SSHPublicKey: 'ssh-ed25519 AAAAC3Nza berth',
      AvailabilityZone: 'eu-west-1b',
    });
    const keygen = tools.calls('ssh-keygen')[0];
    expect(keygen.slice(0, 4)).toEqual(['-q', '-t', 'ed25519', '-N']);
    const ssh = tools.calls('ssh')[0];
    expect(ssh[ssh.length - 1]).toBe('ec2-user@203.0.113.7');
    expect(ssh).toEqual(expect.arrayContaining(['-o', 'IdentitiesOnly=yes']));
    // the throwaway key is gone after the session.
    const keyFile = ssh[ssh.indexOf('-i') + 1];
    expect(fs.existsSync(keyFile)).toBe(false);
    expect(tools.calls('aws')).toEqual([]);
  });

  test('--dry-run pushes no key and runs no ssh', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa', publicIp: '203.0.113.7' }]);

    // WHEN
    const { code, out } = await runCommand(connect, ['live', '--ssh', '--dry-run'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(
      'would push a throwaway ed25519 key for ec2-user to i-0aaa with EC2 Instance Connect, then run: ssh ec2-user@203.0.113.7',
    );
    expect(aws.instanceConnect).not.toHaveReceivedCommand(SendSSHPublicKeyCommand);
    expect(tools.calls('ssh-keygen')).toEqual([]);
    expect(tools.calls('ssh')).toEqual([]);
  });

  test('an instance without a public IP is reached on its private IP, with a warning', async () => {
    // GIVEN
    const manifest = givenManifest('pre');
    givenInstances(manifest, [{ id: 'i-0aaa', privateIp: '10.20.3.4' }]);
    aws.instanceConnect.on(SendSSHPublicKeyCommand).resolves({ Success: true });

    // WHEN
    const { code, err } = await runCommand(connect, ['pre', '--ssh', '--user', 'admin'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(err).toContain('i-0aaa has no public IP; connecting to its private IP 10.20.3.4');
    expect(tools.calls('ssh')[0]).toContain('admin@10.20.3.4');
  });

  test('ssh failing to connect says to open port 22 or use SSM', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ ssh: { exitCode: 255 }, 'ssh-keygen': { script: KEYGEN } });
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa', publicIp: '203.0.113.7' }]);
    aws.instanceConnect.on(SendSSHPublicKeyCommand).resolves({ Success: true });

    // WHEN
    const { code, err } = await runCommand(connect, ['live', '--ssh'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('ssh could not connect to 203.0.113.7: port 22 must be open');
  });

  test('a denied key push names the permission and never runs ssh', async () => {
    // GIVEN
    const manifest = givenManifest('live');
    givenInstances(manifest, [{ id: 'i-0aaa', publicIp: '203.0.113.7' }]);
    aws.instanceConnect.on(SendSSHPublicKeyCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));

    // WHEN
    const { code, err } = await runCommand(connect, ['live', '--ssh'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('ec2-instance-connect:SendSSHPublicKey');
    expect(tools.calls('ssh')).toEqual([]);
  });

  test('a missing ssh client says what to install', async () => {
    // GIVEN
    tools.cleanUp();
    tools = stubTools({ aws: {} });
    givenManifest('live');

    // WHEN
    const { code, err } = await runCommand(connect, ['live', '--ssh'], { env: { PATH: tools.bin } });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('ssh is not on PATH; install an OpenSSH client');
  });
});
