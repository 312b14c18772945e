import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { type EnvironmentInstance, listEnvironmentInstances } from '../aws/environment-instances';
import { openEnvironment } from '../cli/environment';
import { EXIT } from '../core/errors';
import { table } from '../cli/output';
import { bindCommand, type Command } from '../cli/command';
import { INSTANCES } from './definitions';

/** The JSON shape of one instance: the listing without the raw ECS record. */
function toJson(instance: EnvironmentInstance): Omit<EnvironmentInstance, 'containerInstance'> {
  const copy: { -readonly [K in keyof EnvironmentInstance]?: EnvironmentInstance[K] } = { ...instance };
  delete copy.containerInstance;
  return copy as Omit<EnvironmentInstance, 'containerInstance'>;
}

/**
 * The text table of `berth instances`.
 * @param instances the environment's instances
 */
export function instanceTable(instances: readonly EnvironmentInstance[]): string {
  return table(
    [
      'INSTANCE',
      'AZ',
      'TYPE',
      'LIFECYCLE',
      'HEALTH',
      'STATE',
      'PRIVATE IP',
      'PUBLIC IP',
      'AMI',
      'AMI CURRENT',
      'LAUNCHED',
      'AGENT',
      'TASKS',
    ],
    instances.map((i) => [
      i.instanceId,
      i.availabilityZone ?? '-',
      i.instanceType ?? '-',
      i.lifecycleState ?? '-',
      i.healthStatus ?? '-',
      i.state ?? '-',
      i.privateIp ?? '-',
      i.publicIp ?? '-',
      i.imageId ?? '-',
      i.imageCurrent === undefined ? '?' : i.imageCurrent ? 'yes' : 'no (stale)',
      i.launchTime?.replace(/\.\d{3}Z$/, 'Z') ?? '-',
      i.registered ? (i.agentConnected ? 'connected' : 'DISCONNECTED') : 'not registered',
      i.registered ? String(i.runningTasks ?? 0) : '-',
    ]),
  );
}

/** `berth instances <env>`. */
export const instances: Command = bindCommand(INSTANCES, async (args, context, output) => {
  const { environment, manifest, ssm, clients } = await openEnvironment(args.environment, args.values, context.env);
  const listing = await listEnvironmentInstances(
    { autoScaling: clients.get(AutoScalingClient), ec2: clients.get(EC2Client), ecs: clients.get(ECSClient), ssm },
    manifest,
  );
  const stale = listing.instances.filter((i) => i.imageCurrent === false).length;
  const human =
    listing.instances.length === 0
      ? `${manifest.autoScalingGroupName} has no instances (desired capacity ${listing.group.DesiredCapacity ?? 0}); see berth doctor ${environment}`
      : `${instanceTable(listing.instances)}\n${stale > 0 ? `\n${stale} instance(s) run an AMI that is not the launch template's current ${listing.images.defaultImageId ?? ''}; npx cdk deploy ${manifest.app}-${environment} rolls the group onto it (see berth doctor ${environment}).\n` : ''}`;
  output.result(
    {
      environment,
      autoScalingGroupName: manifest.autoScalingGroupName,
      launchTemplate: { id: manifest.launchTemplateId, ...listing.images },
      instances: listing.instances.map(toJson),
    },
    human,
  );
  return EXIT.OK;
});
