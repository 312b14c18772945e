import { type EC2InstanceConnectClient, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { FailedError } from '../core/errors';
import { withPermission } from './permission';

/** Where and for whom a public key is pushed. */
export interface PublicKeyTarget {
  /** the instance. */
  readonly instanceId: string;
  /** its availability zone. */
  readonly availabilityZone?: string;
  /** the OS user the key is for, e.g. `ec2-user`. */
  readonly osUser: string;
}

/**
 * Pushes an SSH public key to an instance through EC2 Instance Connect; the instance accepts it for 60
 * seconds, which is all it takes to open one session.
 * @param instanceConnect an EC2 Instance Connect client
 * @param target the instance and OS user
 * @param publicKey the key in OpenSSH format
 */
export async function sendSshPublicKey(
  instanceConnect: EC2InstanceConnectClient,
  target: PublicKeyTarget,
  publicKey: string,
): Promise<void> {
  const response = await withPermission('ec2-instance-connect:SendSSHPublicKey', () =>
    instanceConnect.send(
      new SendSSHPublicKeyCommand({
        InstanceId: target.instanceId,
        InstanceOSUser: target.osUser,
        SSHPublicKey: publicKey,
        ...(target.availabilityZone ? { AvailabilityZone: target.availabilityZone } : {}),
      }),
    ),
  );
  if (response.Success === false) {
    throw new FailedError(`EC2 Instance Connect did not accept the key for ${target.instanceId}; use SSM instead: drop --ssh`);
  }
}
