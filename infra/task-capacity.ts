/**
 * How many of an environment's tasks fit one instance, and whether its Auto Scaling group can hold a
 * blue/green release. Pure arithmetic on the generated instance table (no aws-cdk-lib), so synth validates
 * with it and `berth doctor` prints the same numbers.
 */
import type { GeneratedInstanceType } from './facts/table-types';

/** CPU units ECS registers per vCPU: the agent registers `NumCPU() * 1024` (ecs-agent/api/ecs/client/ecs_client.go, getCpu). */
export const CPU_UNITS_PER_VCPU = 1024;

/**
 * The share of an instance's nominal memory that berth assumes ECS cannot place tasks on. The agent registers
 * the memory Linux reports (`MemTotal` of /proc/meminfo), which is less than what EC2 advertises: the ECS
 * developer guide's own example is an m4.large, 8192 MiB nominal, that registers 7985 MiB (2.5 %; "Container
 * instance memory management"). The kernel's share is larger on small instances, so berth takes Karpenter's
 * default VM memory overhead, 7.5 % (`VM_MEMORY_OVERHEAD_PERCENT`, aws/karpenter-provider-aws
 * pkg/operator/options/options.go), rather than the guide's figure: a config that passes here must place.
 */
export const MEMORY_OVERHEAD_SHARE = 0.075;

/**
 * MiB the ECS agent keeps from tasks (`ECS_RESERVED_MEMORY`): 0, the agent's default on Linux
 * (agent/config/config_unix.go), because userdata/ecs-agent.sh does not set it. A test holds the two together.
 */
export const ECS_RESERVED_MEMORY_MIB = 0;

/** What one instance offers to tasks: the resources ECS registers and the interfaces tasks can take. */
export interface InstanceRoom {
  /** CPU units ECS can place tasks on. */
  readonly cpuUnits: number;
  /** MiB ECS can place tasks on. */
  readonly memoryMiB: number;
  /** awsvpc tasks the instance's network interfaces allow. */
  readonly taskInterfaces: number;
}

/**
 * awsvpc tasks one instance runs by its network interfaces: one interface each, less the instance's own
 * (ECS developer guide, "Elastic network interface trunking"); with trunking, the trunked task limit.
 * @param type the instance type
 * @param eniTrunking whether the account's `awsvpcTrunking` setting is on (and the type supports it)
 */
export function taskInterfaces(type: GeneratedInstanceType, eniTrunking: boolean): number {
  if (eniTrunking && type.trunkedTaskLimit !== null) return type.trunkedTaskLimit;
  return Math.max(0, type.maxNetworkInterfaces - 1);
}

/**
 * The room berth expects an instance of a type to register, before it runs.
 * @param type the instance type
 * @param eniTrunking whether ENI trunking is on
 */
export function expectedRoom(type: GeneratedInstanceType, eniTrunking: boolean): InstanceRoom {
  return {
    cpuUnits: type.vcpus * CPU_UNITS_PER_VCPU,
    memoryMiB: Math.floor(type.memoryMiB * (1 - MEMORY_OVERHEAD_SHARE)) - ECS_RESERVED_MEMORY_MIB,
    taskInterfaces: taskInterfaces(type, eniTrunking),
  };
}

/** What one task reserves: the application container's CPU units and hard memory limit. */
export interface TaskSize {
  /** CPU units. */
  readonly cpu: number;
  /** MiB. */
  readonly memoryMiB: number;
}

/** Which of an instance's limits stops the next task. */
export type TaskLimit = 'cpu' | 'memory' | 'network interfaces';

/** How many tasks fit one instance, and why no more. */
export interface TasksPerInstance {
  /** tasks that fit. */
  readonly tasks: number;
  /** the limit that holds `tasks` down (the first of cpu, memory, network interfaces on a tie). */
  readonly limitedBy: TaskLimit;
  /** the room it was computed from. */
  readonly room: InstanceRoom;
  /** the task it was computed for. */
  readonly task: TaskSize;
}

/**
 * Tasks that fit one instance: the smallest of the CPU fit, the memory fit and the interface limit.
 * @param room what the instance offers
 * @param task what one task reserves
 */
export function tasksPerInstance(room: InstanceRoom, task: TaskSize): TasksPerInstance {
  const fits: readonly [TaskLimit, number][] = [
    ['cpu', Math.floor(room.cpuUnits / task.cpu)],
    ['memory', Math.floor(room.memoryMiB / task.memoryMiB)],
    ['network interfaces', room.taskInterfaces],
  ];
  const [limitedBy, tasks] = fits.reduce((least, fit) => (fit[1] < least[1] ? fit : least));
  return { tasks, limitedBy, room, task };
}

/**
 * Why no more tasks fit, in a few words: "2 network interfaces for tasks", "1894 MiB for tasks of 1024 MiB".
 * @param fit from {@link tasksPerInstance}
 */
export function describeLimit(fit: TasksPerInstance): string {
  switch (fit.limitedBy) {
    case 'cpu':
      return `${fit.room.cpuUnits} CPU units for tasks of ${fit.task.cpu}`;
    case 'memory':
      return `${fit.room.memoryMiB} MiB for tasks of ${fit.task.memoryMiB} MiB`;
    case 'network interfaces':
      return `${fit.room.taskInterfaces} network interface${fit.room.taskInterfaces === 1 ? '' : 's'} for tasks`;
  }
}

/** Whether an environment's group can hold a blue/green release. */
export interface ReleaseRoom {
  /** tasks per instance. */
  readonly perInstance: TasksPerInstance;
  /** the group's largest size. */
  readonly maxCapacity: number;
  /** the most tasks the service runs outside a release (`desiredTaskCount`, or `autoScaling.maxTasks`). */
  readonly serviceTasks: number;
  /** tasks `maxCapacity` instances hold. */
  readonly held: number;
  /** tasks a release runs at once: blue and green side by side. */
  readonly needed: number;
  /** whether they fit. */
  readonly fits: boolean;
  /** the smallest `maxCapacity` that holds a release, or undefined when no number of instances does. */
  readonly maxCapacityNeeded?: number;
}

/**
 * A blue/green release starts a full set of green tasks next to blue, so the group at its largest must hold
 * twice the service's tasks (README, "How a release flows"; the capacity provider adds instances up to
 * `maxCapacity`, never beyond).
 * @param perInstance from {@link tasksPerInstance}
 * @param serviceTasks the most tasks the service runs outside a release (with auto-scaling, its largest count)
 * @param maxCapacity the group's largest size
 */
export function releaseRoom(perInstance: TasksPerInstance, serviceTasks: number, maxCapacity: number): ReleaseRoom {
  const held = perInstance.tasks * maxCapacity;
  const needed = 2 * serviceTasks;
  const maxCapacityNeeded = perInstance.tasks > 0 ? Math.ceil(needed / perInstance.tasks) : undefined;
  return {
    perInstance,
    maxCapacity,
    serviceTasks,
    held,
    needed,
    fits: held >= needed,
    ...(maxCapacityNeeded === undefined ? {} : { maxCapacityNeeded }),
  };
}

/**
 * The release arithmetic in one line, as the synth summary and `berth doctor` print it:
 * "2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 4, max 4 instances hold 8".
 * @param room from {@link releaseRoom}
 * @param instanceType the type's name
 */
export function describeReleaseRoom(room: ReleaseRoom, instanceType: string): string {
  const p = room.perInstance;
  return `${p.tasks} task${p.tasks === 1 ? '' : 's'} per ${instanceType} (${describeLimit(p)}), a release needs ${room.needed}, max ${room.maxCapacity} instance${room.maxCapacity === 1 ? '' : 's'} hold${room.maxCapacity === 1 ? 's' : ''} ${room.held}`;
}
