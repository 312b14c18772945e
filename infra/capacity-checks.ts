/**
 * The config checks that need the instance tables: each returns one line (field, what is wrong, the numbers,
 * what is allowed) or undefined. Pure functions with no aws-cdk-lib, one call per check, so any validator
 * (synth's, or the CLI's) can run them.
 */
import {
  databaseClassTableDates,
  databaseFamilySizes,
  familySizes,
  findDatabaseClass,
  type InstanceTypeFacts,
  instanceTypeTableDates,
  REFRESH_TABLES_HINT,
  trunkingSource,
} from './facts/instance-types';
import type { MostTasks } from './config/resolve';
import { describeLimit, expectedRoom, releaseRoom, type TaskSize, tasksPerInstance } from './task-capacity';

/** The largest `maxCapacity` the config accepts; a fix that needs more is not offered. */
const MAX_CAPACITY_LIMIT = 100;

/**
 * An instance type the table does not know.
 * @param field the config path, e.g. `environments.live.instanceType`
 * @param name the configured type
 * @param type the table's row, undefined when it has none
 */
export function unknownInstanceTypeProblem(field: string, name: string, type: InstanceTypeFacts | undefined): string | undefined {
  if (type !== undefined) return undefined;
  const family = name.split('.')[0];
  const sizes = familySizes(family);
  const allowed = sizes.length > 0 ? `the sizes of ${family}: ${sizes.join(', ')}` : 'a type such as t3.small, t4g.small or m7g.large';
  return `${field}: "${name}" is not an EC2 instance type in berth's table (${instanceTypeTableDates()}); allowed: ${allowed}; ${REFRESH_TABLES_HINT}`;
}

/**
 * A configured architecture that is not the type's.
 * @param field the config path of the architecture
 * @param type the instance type
 * @param architecture the configured architecture
 */
export function architectureProblem(field: string, type: InstanceTypeFacts, architecture: string): string | undefined {
  if (type.architecture === architecture) return undefined;
  return `${field}: "${architecture}" does not match instance type ${type.name}, which is ${type.architecture}; set architecture to "${type.architecture}" or pick a ${architecture} instance type`;
}

/**
 * ENI trunking declared for a type that ECS does not trunk.
 * @param field the config path of `eniTrunking`
 * @param type the instance type
 * @param eniTrunking the configured value
 */
export function eniTrunkingProblem(field: string, type: InstanceTypeFacts, eniTrunking: boolean): string | undefined {
  if (!eniTrunking || type.trunkedTaskLimit !== null) return undefined;
  const source = trunkingSource();
  return `${field}: true, but ECS ENI trunking does not support ${type.name} (${source.repository} ${source.date}); allowed: false, or an instance type ECS trunks such as m6i.large, m7g.large or c6g.large`;
}

/**
 * A task that no instance of the type can place, by CPU, memory or network interfaces.
 * @param environmentPath the config path of the environment, e.g. `environments.pre`
 * @param type the instance type
 * @param task the application container's CPU units and memory
 * @param eniTrunking whether ENI trunking is on
 */
export function taskFitProblem(environmentPath: string, type: InstanceTypeFacts, task: TaskSize, eniTrunking: boolean): string | undefined {
  const room = expectedRoom(type, eniTrunking);
  const tooMuchCpu = task.cpu > room.cpuUnits;
  const tooMuchMemory = task.memoryMiB > room.memoryMiB;
  const container = `${environmentPath}.container`;
  const sizes = `a ${type.name} offers tasks ${room.cpuUnits} CPU units and ${room.memoryMiB} MiB (${type.vcpus} vCPUs, ${type.memoryMiB} MiB less what the OS keeps)`;
  const allowed = `allowed: at most ${room.cpuUnits} CPU units and ${room.memoryMiB} MiB, or a larger instance type`;
  if (tooMuchCpu && tooMuchMemory) {
    return `${container}: ${task.cpu} CPU units and ${task.memoryMiB} MiB do not fit one instance: ${sizes}; ${allowed}`;
  }
  if (tooMuchCpu) return `${container}.cpu: ${task.cpu} CPU units do not fit one instance: ${sizes}; ${allowed}`;
  if (tooMuchMemory) return `${container}.memoryMiB: ${task.memoryMiB} MiB do not fit one instance: ${sizes}; ${allowed}`;
  if (room.taskInterfaces === 0) {
    return `${environmentPath}.instanceType: ${type.name} has ${type.maxNetworkInterfaces} network interface, its own, and none for an awsvpc task; allowed: an instance type with 2 or more`;
  }
  return undefined;
}

/** An environment's sizing, as the release check needs it. */
export interface EnvironmentSizing {
  /** the application container's CPU units and memory. */
  readonly task: TaskSize;
  /** the most tasks the service runs outside a release, and the field that sets them. */
  readonly tasks: MostTasks;
  /** the Auto Scaling group's largest size. */
  readonly maxCapacity: number;
  /** whether ENI trunking is on. */
  readonly eniTrunking: boolean;
}

/**
 * A group that cannot hold a blue/green release (twice the service's tasks) at its largest size. Run it
 * after {@link taskFitProblem} found nothing: a task that fits no instance is that check's one line.
 * @param environmentPath the config path of the environment
 * @param type the instance type
 * @param sizing the environment's task, counts and trunking
 */
export function releaseRoomProblem(environmentPath: string, type: InstanceTypeFacts, sizing: EnvironmentSizing): string | undefined {
  const perInstance = tasksPerInstance(expectedRoom(type, sizing.eniTrunking), sizing.task);
  const room = releaseRoom(perInstance, sizing.tasks.count, sizing.maxCapacity);
  if (room.fits || perInstance.tasks === 0) return undefined;
  const allowed: string[] = [];
  if (room.maxCapacityNeeded !== undefined && room.maxCapacityNeeded <= MAX_CAPACITY_LIMIT)
    allowed.push(`maxCapacity ${room.maxCapacityNeeded} or more`);
  allowed.push('a larger instance type');
  if (perInstance.limitedBy === 'network interfaces' && !sizing.eniTrunking) {
    allowed.push(
      type.trunkedTaskLimit === null
        ? 'an instance type ECS trunks (with eniTrunking)'
        : `eniTrunking (${type.trunkedTaskLimit} tasks per ${type.name}; turn on awsvpcTrunking first, see the README)`,
    );
  }
  const fewest = Math.floor(room.held / 2);
  if (fewest >= 1) allowed.push(`${sizing.tasks.field} ${fewest} or fewer`);
  const instances = `${room.maxCapacity} ${type.name} instance${room.maxCapacity === 1 ? '' : 's'} hold${room.maxCapacity === 1 ? 's' : ''}`;
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')}, or ${allowed[allowed.length - 1]}` : allowed[0];
  return `${environmentPath}.maxCapacity: ${instances} ${room.held} task${room.held === 1 ? '' : 's'} (${perInstance.tasks} per instance: ${describeLimit(perInstance)}); a release needs room for ${room.needed} (2 x ${sizing.tasks.field} ${room.serviceTasks}); allowed: ${list}`;
}

/**
 * An RDS DB instance class the table does not list for the configured engine.
 * @param field the config path of the class
 * @param text the configured class, with or without `db.`
 * @param engine the configured engine
 */
export function databaseClassProblem(field: string, text: string, engine: 'mysql' | 'postgres'): string | undefined {
  const name = text.startsWith('db.') ? text : `db.${text}`;
  if (findDatabaseClass(name)?.includes(engine)) return undefined;
  const family = name.split('.')[1] ?? '';
  const sizes = databaseFamilySizes(family, engine);
  const allowed =
    sizes.length > 0 ? `the sizes of db.${family}: ${sizes.join(', ')}` : 'a class such as db.t4g.micro, db.t4g.small or db.m7g.large';
  return `${field}: "${text}" is not an RDS DB instance class for ${engine} in berth's table (${databaseClassTableDates()}); allowed: ${allowed}; ${REFRESH_TABLES_HINT}`;
}
