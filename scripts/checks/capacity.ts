import type { Activity, AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import type { ECSClient, TaskDefinition } from '@aws-sdk/client-ecs';
import { findInstanceType, REFRESH_TABLES_HINT } from '../../infra/facts/instance-types';
import type { Manifest } from '../../infra/manifest';
import { describeReleaseRoom, expectedRoom, releaseRoom, taskInterfaces, tasksPerInstance } from '../../infra/task-capacity';
import { recentScalingActivities } from '../aws/auto-scaling-group';
import { describeCapacityProvider } from '../aws/capacity-provider';
import { hasTrunkInterface, registered, remaining } from '../aws/container-instances';
import type { EnvironmentInstances } from '../aws/environment-instances';
import type { Finding } from './findings';

/** Scaling activities newer than this count towards the Auto Scaling group finding. */
const RECENT_ACTIVITY_MS = 24 * 60 * 60 * 1000;

/** CPU units and MiB one task of the service reserves. */
export interface TaskNeed {
  /** CPU units. */
  readonly cpu: number;
  /** MiB. */
  readonly memory: number;
}

/**
 * What one task reserves on an instance: the task-level size, else the sum of its containers'.
 * @param taskDefinition the service's task definition
 * @returns the need, or undefined when the task definition does not say
 */
export function taskNeed(taskDefinition: TaskDefinition): TaskNeed | undefined {
  const containers = taskDefinition.containerDefinitions ?? [];
  const cpu = Number(taskDefinition.cpu ?? 0) || containers.reduce((n, c) => n + (c.cpu ?? 0), 0);
  const memory = Number(taskDefinition.memory ?? 0) || containers.reduce((n, c) => n + (c.memory ?? c.memoryReservation ?? 0), 0);
  return memory > 0 ? { cpu, memory } : undefined;
}

/**
 * Checks the cluster's view of the group's instances: registered, agent connected, room for a task.
 * @param listing the environment's instances
 * @param manifest the environment's manifest
 * @param need what one task reserves, when known
 */
export function checkContainerInstances(listing: EnvironmentInstances, manifest: Manifest, need: TaskNeed | undefined): Finding {
  const link = 'container instances';
  const env = manifest.environment;
  const inService = listing.instances.filter((i) => i.lifecycleState === 'InService');
  const unregistered = inService.filter((i) => !i.registered);
  const disconnected = listing.instances.filter((i) => i.registered && i.agentConnected === false);
  const connected = listing.instances.filter((i) => i.registered && i.agentConnected === true);
  const details = listing.instances.map((i) => {
    if (!i.registered) return `${i.instanceId}: not registered in cluster ${manifest.cluster.name} (${i.lifecycleState ?? '?'})`;
    const cpu = i.containerInstance ? remaining(i.containerInstance, 'CPU') : undefined;
    const memory = i.containerInstance ? remaining(i.containerInstance, 'MEMORY') : undefined;
    return `${i.instanceId}: agent ${i.agentConnected ? 'connected' : 'DISCONNECTED'}, ${i.runningTasks ?? 0} task(s), ${cpu ?? '?'} CPU units and ${memory ?? '?'} MiB free`;
  });
  for (const stranger of listing.strangers)
    details.push(`${stranger.ec2InstanceId ?? '?'}: registered in the cluster but not in the Auto Scaling group`);
  const broken = [...disconnected, ...unregistered];
  if (broken.length > 0) {
    const first = broken[0].instanceId;
    return {
      link,
      status: 'fail',
      summary: `${disconnected.length} agent(s) disconnected, ${unregistered.length} instance(s) not registered in the cluster`,
      details,
      fix: `read why with berth agent-log ${env} --instance ${first}; restart the agent with berth connect ${env} --instance ${first}, then sudo systemctl restart ecs`,
    };
  }
  if (connected.length === 0) {
    return {
      link,
      status: 'fail',
      summary: 'no container instance is registered in the cluster',
      details,
      fix: 'see the Auto Scaling group link: it has no instance in service',
    };
  }
  if (need) {
    const room = connected.some((i) => {
      const ci = i.containerInstance;
      return ci !== undefined && (remaining(ci, 'CPU') ?? 0) >= need.cpu && (remaining(ci, 'MEMORY') ?? 0) >= need.memory;
    });
    if (!room) {
      return {
        link,
        status: 'warn',
        summary: `${connected.length} connected, but none has room for another task (${need.cpu} CPU units, ${need.memory} MiB)`,
        details,
        fix: 'a deployment or a replacement task waits until the capacity provider adds an instance; if it does not, see the Auto Scaling group link',
      };
    }
  }
  return { link, status: 'ok', summary: `${connected.length} registered with the agent connected`, details };
}

/**
 * Checks that the group at its largest holds a blue/green release (twice the service's tasks), with the
 * arithmetic the synth summary prints, then compares each running instance with what the table expects of
 * its type: an instance that registered less than berth assumed fits fewer tasks than the config check said.
 * @param listing the environment's instances
 * @param manifest the environment's manifest
 * @param need what one task reserves
 * @param count the tasks the service runs, and its scalable target's maximum when it scales: a release of a service
 *   scaled out to `maxTasks` needs room for twice that (the check config validation makes at synth)
 * @returns the finding, or undefined when no instance tells the type (the Auto Scaling group link says why)
 */
export function checkReleaseCapacity(
  listing: EnvironmentInstances,
  manifest: Manifest,
  need: TaskNeed,
  count: { readonly desiredCount: number; readonly maxTasks?: number },
): Finding | undefined {
  const link = 'release capacity';
  const desiredCount = Math.max(count.desiredCount, count.maxTasks ?? 0);
  const counted =
    count.maxTasks !== undefined && count.maxTasks > count.desiredCount
      ? [`counted ${desiredCount} tasks: autoScaling.maxTasks (the service runs ${count.desiredCount} now)`]
      : [];
  const typeName = listing.instances.find((i) => i.instanceType !== undefined)?.instanceType;
  if (typeName === undefined) return undefined;
  const type = findInstanceType(typeName);
  if (type === undefined) {
    return {
      link,
      status: 'warn',
      summary: `instance type ${typeName} is not in berth's table, so the release arithmetic cannot be checked`,
      fix: REFRESH_TABLES_HINT.replace(/^if AWS added it since, /, ''),
    };
  }
  const registeredInstances = listing.instances.filter((i) => i.containerInstance !== undefined);
  // trunking counts only when every registered instance got a trunk: instances launched before it was turned on have none.
  const trunked = registeredInstances.length > 0 && registeredInstances.every((i) => hasTrunkInterface(i.containerInstance!));
  const task = { cpu: need.cpu, memoryMiB: need.memory };
  const expected = tasksPerInstance(expectedRoom(type, trunked), task);
  const room = releaseRoom(expected, desiredCount, listing.group.MaxSize ?? 0);
  const summary = describeReleaseRoom(room, type.name);
  const short: string[] = [];
  const perInstance = registeredInstances.map((i) => {
    const ci = i.containerInstance!;
    const cpuUnits = registered(ci, 'CPU') ?? 0;
    const memoryMiB = registered(ci, 'MEMORY') ?? 0;
    const actualType = (i.instanceType && findInstanceType(i.instanceType)) || type;
    const actual = tasksPerInstance({ cpuUnits, memoryMiB, taskInterfaces: taskInterfaces(actualType, hasTrunkInterface(ci)) }, task);
    if (actual.tasks < expected.tasks) short.push(i.instanceId);
    return `${i.instanceId} (${actualType.name}${hasTrunkInterface(ci) ? ', trunk interface' : ''}): registered ${cpuUnits} CPU units and ${memoryMiB} MiB, fits ${actual.tasks} task${actual.tasks === 1 ? '' : 's'}`;
  });
  const details = [...counted, ...perInstance];
  details.push(
    `berth expects of a ${type.name}: ${expected.room.cpuUnits} CPU units, ${expected.room.memoryMiB} MiB, ${expected.room.taskInterfaces} task interface${expected.room.taskInterfaces === 1 ? '' : 's'}${trunked ? ' (trunking)' : ''}`,
  );
  const redeploy = `npx cdk deploy ${manifest.app}-${manifest.environment}`;
  if (!room.fits) {
    const more =
      room.maxCapacityNeeded === undefined ? 'a larger instance type' : `maxCapacity ${room.maxCapacityNeeded} or a larger instance type`;
    return {
      link,
      status: 'fail',
      summary: `${summary}: the next release cannot start all its green tasks`,
      details,
      fix: `set ${more} in environments.${manifest.environment} of the config, then ${redeploy}`,
    };
  }
  if (short.length > 0) {
    return {
      link,
      status: 'warn',
      summary: `${summary}; ${short.join(', ')} fit${short.length === 1 ? 's' : ''} fewer tasks than berth expects of a ${type.name}`,
      details,
      fix: 'ECS registered less than the table assumes: leave room in maxCapacity, and refresh the tables (npm run generate:instance-types, see the README)',
    };
  }
  return { link, status: 'ok', summary, details };
}

function activityLine(activity: Activity): string {
  const when = activity.StartTime?.toISOString().replace(/\.\d{3}Z$/, 'Z') ?? '?';
  return `${when} ${activity.StatusCode ?? '?'}: ${activity.Description ?? ''}${activity.StatusMessage ? ` (${activity.StatusMessage})` : ''}`;
}

function activityFix(activity: Activity, manifest: Manifest): string {
  const message = activity.StatusMessage ?? '';
  if (/InsufficientInstanceCapacity/i.test(message))
    return 'AWS has no capacity for the instance type in that zone now: wait, or configure another instance type';
  if (/InstanceLimitExceeded|VcpuLimitExceeded/i.test(message))
    return 'the account hit its EC2 limit: request a quota increase in Service Quotas';
  if (/not authorized|iam|AccessDenied/i.test(message))
    return `the group's role or instance profile lacks a permission: npx cdk deploy ${manifest.app}-${manifest.environment} restores them`;
  if (/launch template|ami|image/i.test(message))
    return `the launch template cannot start an instance: npx cdk deploy ${manifest.app}-${manifest.environment} writes a fresh one`;
  return 'read the status message above; the EC2 console shows the full activity history';
}

/**
 * Checks the Auto Scaling group: instances in service against desired, and scaling activities that failed.
 * @param autoScaling an Auto Scaling client
 * @param listing the environment's instances
 * @param manifest the environment's manifest
 * @param now the current time
 */
export async function checkAutoScalingGroup(
  autoScaling: AutoScalingClient,
  listing: EnvironmentInstances,
  manifest: Manifest,
  now: Date,
): Promise<Finding> {
  const link = 'Auto Scaling group';
  const group = listing.group;
  const desired = group.DesiredCapacity ?? 0;
  const inService = listing.instances.filter((i) => i.lifecycleState === 'InService').length;
  const unhealthy = listing.instances.filter((i) => i.healthStatus === 'Unhealthy');
  const summary = `${inService}/${desired} instances in service (min ${group.MinSize ?? '?'}, max ${group.MaxSize ?? '?'})`;
  const activities = (await recentScalingActivities(autoScaling, manifest.autoScalingGroupName)).filter(
    (a) => a.StartTime === undefined || now.getTime() - a.StartTime.getTime() < RECENT_ACTIVITY_MS,
  );
  const failed = activities.filter((a) => a.StatusCode === 'Failed' || a.StatusCode === 'Cancelled');
  const details = [...unhealthy.map((i) => `${i.instanceId}: Unhealthy`), ...failed.slice(0, 5).map(activityLine)];
  if (desired === 0)
    return {
      link,
      status: 'fail',
      summary: `${summary}: no instance is wanted`,
      details,
      fix: `set minCapacity above 0 in the config and npx cdk deploy ${manifest.app}-${manifest.environment}`,
    };
  if (failed.length > 0) {
    const newestFailed = activities[0] === failed[0];
    return {
      link,
      status: newestFailed ? 'fail' : 'warn',
      summary: `${summary}; ${failed.length} scaling activit${failed.length === 1 ? 'y' : 'ies'} failed in the last 24 h${newestFailed ? ', the newest among them' : ''}`,
      details,
      fix: activityFix(failed[0], manifest),
    };
  }
  if (inService < desired || unhealthy.length > 0) {
    return {
      link,
      status: 'warn',
      summary,
      details,
      fix: 'the group is replacing or adding instances; if it lasts, see its activity history in the EC2 console',
    };
  }
  return { link, status: 'ok', summary };
}

/**
 * Checks the capacity provider that grows the group for the service's tasks.
 * @param ecs an ECS client
 * @param manifest the environment's manifest
 */
export async function checkCapacityProvider(ecs: ECSClient, manifest: Manifest): Promise<Finding> {
  const link = 'capacity provider';
  const redeploy = `npx cdk deploy ${manifest.app}-${manifest.environment}`;
  const provider = await describeCapacityProvider(ecs, manifest.capacityProviderName);
  if (!provider) return { link, status: 'fail', summary: `${manifest.capacityProviderName} does not exist`, fix: `${redeploy} creates it` };
  const reason = provider.updateStatusReason ? [`AWS says: ${provider.updateStatusReason}`] : [];
  if (provider.status !== 'ACTIVE')
    return {
      link,
      status: 'fail',
      summary: `${manifest.capacityProviderName} is ${provider.status ?? 'unknown'}`,
      details: reason,
      fix: `${redeploy} recreates it`,
    };
  if (provider.updateStatus?.endsWith('_FAILED')) {
    return { link, status: 'fail', summary: `last update ${provider.updateStatus}`, details: reason, fix: redeploy };
  }
  const scaling = provider.autoScalingGroupProvider?.managedScaling;
  if (scaling?.status !== 'ENABLED') {
    return {
      link,
      status: 'warn',
      summary: 'managed scaling is off: the group does not grow when tasks need room',
      fix: `${redeploy} turns it back on`,
    };
  }
  return { link, status: 'ok', summary: `ACTIVE, managed scaling on (target capacity ${scaling.targetCapacity ?? 100}%)` };
}

/**
 * Checks that every instance runs the launch template's current AMI.
 * @param listing the environment's instances
 * @param manifest the environment's manifest
 */
export function checkInstanceImages(listing: EnvironmentInstances, manifest: Manifest): Finding {
  const link = 'instance AMI';
  const current = listing.images.defaultImageId ?? listing.images.latestImageId;
  const stale = listing.instances.filter((i) => i.imageCurrent === false);
  if (current === undefined)
    return {
      link,
      status: 'warn',
      summary: `could not read the AMI of launch template ${manifest.launchTemplateId}`,
      fix: 'run berth instances and compare the AMIs by hand',
    };
  if (stale.length > 0) {
    return {
      link,
      status: 'warn',
      summary: `${stale.length} instance(s) run an older AMI than the launch template's ${current}`,
      details: stale.map((i) => `${i.instanceId}: ${i.imageId ?? '?'}`),
      fix: `npx cdk deploy ${manifest.app}-${manifest.environment} rolls the group onto it one instance at a time (berth changes no instances); without a deploy: aws autoscaling start-instance-refresh --auto-scaling-group-name ${manifest.autoScalingGroupName}`,
    };
  }
  return { link, status: 'ok', summary: `${listing.instances.length} instance(s) on ${current}` };
}
