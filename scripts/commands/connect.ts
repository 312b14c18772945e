import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import type { Manifest } from '../../infra/manifest';
import { describeAutoScalingGroup } from '../aws/auto-scaling-group';
import { describeInstances } from '../aws/ec2-instances';
import { requireEnvironmentInstance } from '../aws/environment-instances';
import { sendSshPublicKey } from '../aws/instance-connect';
import { chooseOne } from '../cli/choose';
import { awsCliEnvironment, awsCliOptions, openEnvironment } from '../cli/environment';
import { EXIT, FailedError, RefusedError, UsageError } from '../core/errors';
import { AWS_CLI, requireTools, runTool, SESSION_MANAGER_PLUGIN, SSH, SSH_KEYGEN } from '../cli/external-tool';
import { bindCommand, type Command, type CommandContext } from '../cli/command';
import { CONNECT, DEFAULT_OS_USER } from './definitions';

/** An instance a session can go to. */
interface Target {
  readonly instanceId: string;
  readonly instance: Instance;
}

function describe(instance: Instance): string {
  const az = instance.Placement?.AvailabilityZone ?? '-';
  const launched = instance.LaunchTime?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '-';
  return `${az}  ${instance.PrivateIpAddress ?? '-'}  launched ${launched}`;
}

async function pickTarget(
  context: CommandContext,
  environment: string,
  manifest: Manifest,
  clients: { autoScaling: AutoScalingClient; ec2: EC2Client },
  requested: string | undefined,
): Promise<Target> {
  const group = await describeAutoScalingGroup(clients.autoScaling, manifest.autoScalingGroupName);
  const members = (group.Instances ?? []).map((m) => ({ instanceId: m.InstanceId ?? '' }));
  if (requested !== undefined) requireEnvironmentInstance(members, requested, environment, manifest.autoScalingGroupName);
  const ids = requested !== undefined ? [requested] : members.map((m) => m.instanceId);
  const running = (await describeInstances(clients.ec2, ids)).filter((i) => i.State?.Name === 'running');
  if (requested !== undefined) {
    const instance = running.find((i) => i.InstanceId === requested);
    if (!instance) throw new RefusedError(`instance ${requested} is not running; pick a running one from berth instances ${environment}`);
    return { instanceId: requested, instance };
  }
  if (running.length === 0) {
    throw new RefusedError(`${manifest.autoScalingGroupName} has no running instance; find out why with berth doctor ${environment}`);
  }
  if (running.length === 1) return { instanceId: running[0].InstanceId!, instance: running[0] };
  if (!context.stdin.isTTY) {
    throw new UsageError(
      `${environment} has ${running.length} running instances (${running.map((i) => i.InstanceId).join(', ')}); pass --instance <id>`,
    );
  }
  const id = await chooseOne(
    context,
    'instance',
    running.map((i) => ({ id: i.InstanceId!, description: describe(i) })),
  );
  return { instanceId: id, instance: running.find((i) => i.InstanceId === id)! };
}

/** `berth connect <env>`. */
export const connect: Command = bindCommand(CONNECT, async ({ environment: named, values }, context, output) => {
  if (values.user !== undefined && !values.ssh) throw new UsageError('--user only applies to --ssh; SSM sessions start as ssm-user');
  if (values.instance !== undefined && !/^i-[0-9a-f]+$/.test(values.instance)) {
    throw new UsageError(
      `--instance "${values.instance}" is not an instance id; allowed: i- followed by hex digits, as berth instances lists them`,
    );
  }
  // tools before any AWS call: a missing plugin is found even without credentials, and the message says what to install.
  const [awsCli, sshCli, sshKeygen] = values.ssh
    ? [undefined, ...requireTools([SSH, SSH_KEYGEN], context.env)]
    : [...requireTools([AWS_CLI, SESSION_MANAGER_PLUGIN], context.env)];
  const { environment, aws, manifest, clients } = await openEnvironment(named, values, context.env);
  const target = await pickTarget(
    context,
    environment,
    manifest,
    { autoScaling: clients.get(AutoScalingClient), ec2: clients.get(EC2Client) },
    values.instance,
  );

  if (!values.ssh) {
    const args = ['ssm', 'start-session', '--target', target.instanceId, ...awsCliOptions(aws)];
    if (values['dry-run']) {
      output.result({ dryRun: true, instanceId: target.instanceId, command: ['aws', ...args] }, `would run: aws ${args.join(' ')}`);
      return EXIT.OK;
    }
    // a plain line, not a progress line: the session's own output follows on the same terminal.
    context.streams.stderr.write(`starting an SSM session on ${target.instanceId} (${environment})…\n`);
    const result = await runTool(awsCli!, args, { env: awsCliEnvironment(aws, context.env) });
    if (result.exitCode !== 0) {
      throw new FailedError(
        `aws ssm start-session ended with exit code ${result.exitCode} (its message is above); if the instance is not reachable, check its SSM agent with berth doctor ${environment}`,
      );
    }
    return EXIT.OK;
  }

  const address = target.instance.PublicIpAddress ?? target.instance.PrivateIpAddress;
  if (address === undefined)
    throw new RefusedError(
      `instance ${target.instanceId} has no IP address to SSH to; use SSM: berth connect ${environment} --instance ${target.instanceId}`,
    );
  if (target.instance.PublicIpAddress === undefined) {
    output.warn(
      `${target.instanceId} has no public IP; connecting to its private IP ${address}, which needs a network path (VPN, peering). SSM needs none: drop --ssh`,
    );
  }
  const osUser = values.user ?? DEFAULT_OS_USER;
  if (values['dry-run']) {
    output.result(
      { dryRun: true, instanceId: target.instanceId, osUser, address },
      `would push a throwaway ed25519 key for ${osUser} to ${target.instanceId} with EC2 Instance Connect, then run: ssh ${osUser}@${address}`,
    );
    return EXIT.OK;
  }
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ssh-'));
  try {
    const keyFile = path.join(directory, 'key');
    const keygen = await runTool(
      sshKeygen!,
      ['-q', '-t', 'ed25519', '-N', '', '-C', `berth-${environment}-${target.instanceId}`, '-f', keyFile],
      { env: context.env, stdio: 'pipe' },
    );
    if (keygen.exitCode !== 0 || !fs.existsSync(`${keyFile}.pub`)) {
      throw new FailedError(
        `ssh-keygen could not create a key (${keygen.stderr.trim().split('\n')[0] || `exit code ${keygen.exitCode}`}); check that ${os.tmpdir()} is writable`,
      );
    }
    const publicKey = fs.readFileSync(`${keyFile}.pub`, 'utf8').trim();
    await sendSshPublicKey(
      clients.get(EC2InstanceConnectClient),
      { instanceId: target.instanceId, availabilityZone: target.instance.Placement?.AvailabilityZone, osUser },
      publicKey,
    );
    context.streams.stderr.write(`pushed a throwaway key for ${osUser} to ${target.instanceId} (valid 60 s); ssh ${osUser}@${address}…\n`);
    // instances come and go with the same private IPs: a known_hosts of this session alone avoids a
    // "host key changed" alarm for a replaced instance, and is thrown away with the key.
    const result = await runTool(
      sshCli!,
      [
        '-i',
        keyFile,
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'StrictHostKeyChecking=accept-new',
        '-o',
        `UserKnownHostsFile=${path.join(directory, 'known_hosts')}`,
        `${osUser}@${address}`,
      ],
      { env: context.env },
    );
    if (result.exitCode === 255) {
      throw new FailedError(
        `ssh could not connect to ${address}: port 22 must be open to you in the instance's security group (berth opens none), or use SSM: berth connect ${environment} --instance ${target.instanceId}`,
      );
    }
    return EXIT.OK;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
});
