/**
 * The resolved config the stacks and constructs get, and the step from what the schema read (defaults
 * filled in) to it: defaults that depend on other fields, the VPC's kind, the database only when it is
 * enabled. The fields' meaning, limits and defaults are in ./schema. Nothing in this file may import
 * aws-cdk-lib: the CLI bundles it.
 */
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../environments';
import {
  type ARCHITECTURES,
  type berthConfigSchema,
  DATABASE_DEFAULT_VERSIONS,
  DATABASE_MAJOR_VERSIONS,
  type DATABASE_ENGINES,
  type DATABASE_VARIABLE_NAMES,
  type databaseSchema,
  defaultDatabaseName,
  defaultHealthCheckCommand,
  defaultNatGateways,
  type environmentSchema,
  type IMAGE_PULL_BEHAVIOURS,
  type importedVpcSchema,
  type INSTANCE_SUBNET_KINDS,
  MAX_CAPACITY,
  type newVpcSchema,
} from './schema';
import type { Read } from './schema-kit';
import { type autoScalingSchema, DEFAULT_SCHEDULE_TIME_ZONE, type scheduledMinimumSchema } from './scaling-schema';

export type { EnvironmentName };

type Simplify<T> = { readonly [K in keyof T]: T[K] } & unknown;
type EnvironmentRead = Read<ReturnType<typeof environmentSchema>>;
type DatabaseRead = Read<ReturnType<typeof databaseSchema>>;
type ConfigRead = Read<typeof berthConfigSchema>;

/** One of the architectures the ECS-optimized AMI is published for. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** One of the ECS agent's image pull behaviours. */
export type ImagePullBehaviour = (typeof IMAGE_PULL_BEHAVIOURS)[number];

/** Where instances and their tasks go. */
export type InstanceSubnetKind = (typeof INSTANCE_SUBNET_KINDS)[number];

/** mysql or postgres. */
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** One of the variables the database injects into the app container. */
export type DatabaseVariableName = (typeof DATABASE_VARIABLE_NAMES)[number];

/** A database engine version, with what a parameter group and client image need. */
export interface DatabaseEngineVersion {
  /** the version as RDS takes it: a major version (`8.4`, `16`) or a full one (`8.4.7`, `16.13`). */
  readonly full: string;
  /** the major version (`8.4`, `16`): the parameter group family and the client image tag follow it. */
  readonly major: string;
}

/** The managed database of one environment (config: `environments.<env>.database`, when enabled). */
export type DatabaseConfig = Simplify<
  Omit<DatabaseRead, 'enabled' | 'engineVersion' | 'databaseName'> & {
    /** the engine version, with its major. */
    readonly engineVersion: DatabaseEngineVersion;
    /** the database created in the instance. */
    readonly databaseName: string;
  }
>;

/** The public DNS zone (config: `domain`). */
export type DomainConfig = ConfigRead['domain'];

/** The application's GitHub repository (config: `github`). */
export type GithubConfig = NonNullable<ConfigRead['github']>;

/** A VPC the shared stack creates (config: `vpc` with `cidr`). */
export type NewVpcConfig = Simplify<
  Omit<Read<typeof newVpcSchema>, 'natGateways'> & {
    /** discriminates a new VPC from an imported one. */
    readonly kind: 'new';
    /** NAT gateways to create. */
    readonly natGateways: number;
  }
>;

/** An existing VPC, imported by ids (config: `vpc` with `vpcId`). */
export type ImportedVpcConfig = Simplify<
  Omit<Read<typeof importedVpcSchema>, 'privateSubnetIds'> & {
    /** discriminates an imported VPC from a new one. */
    readonly kind: 'imported';
    /** private subnets, one per zone; empty when instances are in public subnets. */
    readonly privateSubnetIds: readonly string[];
  }
>;

/** One of the two VPC configurations. */
export type VpcConfig = NewVpcConfig | ImportedVpcConfig;

/** The health check ECS runs inside the application container (config: `container.healthCheck`). */
export type ContainerHealthCheckConfig = Simplify<
  Omit<EnvironmentRead['container']['healthCheck'], 'command'> & {
    /** shell command that exits 0 when the application is healthy. */
    readonly command: string;
  }
>;

/** The application container (config: `environments.<env>.container`). */
export type ContainerConfig = Simplify<
  Omit<EnvironmentRead['container'], 'healthCheck'> & {
    /** the container's own health check. */
    readonly healthCheck: ContainerHealthCheckConfig;
  }
>;

/** How the load balancer checks each task (config: `environments.<env>.healthCheck`). */
export type TargetHealthCheckConfig = EnvironmentRead['healthCheck'];

/** The listener rule that reaches green before the shift (config: `environments.<env>.testRule`). */
export type TestRuleConfig = EnvironmentRead['testRule'];

/** Thresholds of the alarms that roll a release back (config: `environments.<env>.alarms`). */
export type ReleaseAlarmsConfig = EnvironmentRead['alarms'];

/** A time window with its own minimum (config: `environments.<env>.autoScaling.scheduledMinimums.<name>`). */
export type ScheduledMinimumConfig = Simplify<
  Omit<Read<typeof scheduledMinimumSchema>, 'timeZone'> & {
    /** the IANA time zone `start` and `end` are read in. */
    readonly timeZone: string;
  }
>;

/** Task auto-scaling of the service (config: `environments.<env>.autoScaling`). */
export type AutoScalingConfig = Simplify<
  Omit<Read<typeof autoScalingSchema>, 'scheduledMinimums'> & {
    /** the time windows with their own minimum, by name. */
    readonly scheduledMinimums: Readonly<Record<string, ScheduledMinimumConfig>>;
  }
>;

/** Who hears of each release of one environment (config: `environments.<env>.notifications`). */
export type NotificationsConfig = NonNullable<EnvironmentRead['notifications']>;

/** Everything that differs between `pre` and `live` (config: `environments.<env>`). */
export type EnvironmentConfig = Simplify<
  Omit<EnvironmentRead, 'container' | 'database' | 'maxCapacity' | 'initialImageTag' | 'autoScaling'> & {
    /** the environment's name. */
    readonly name: EnvironmentName;
    /** largest size of the Auto Scaling group. */
    readonly maxCapacity: number;
    /** the application container. */
    readonly container: ContainerConfig;
    /** the managed database; present only when config sets `database.enabled` to true. */
    readonly database?: DatabaseConfig;
    /** the release the image-tag parameter starts with (live only; pre runs `master`). */
    readonly initialImageTag?: string;
    /** task auto-scaling; without it the service runs `desiredTaskCount` tasks. */
    readonly autoScaling?: AutoScalingConfig;
  }
>;

/** How the environment releases (config: `environments.<env>.release`). */
export type ReleaseConfig = EnvironmentRead['release'];

/** Who may assume the environment's duty roles (config: `environments.<env>.access`). */
export type AccessConfig = EnvironmentRead['access'];

/**
 * How long a release waits at its pause before production traffic, or undefined when it has none: it pauses
 * only when there is something to do there (smoke checks, or a person's approval).
 * @param environment the environment
 */
export function releasePauseMinutes(environment: { readonly release: ReleaseConfig }): number | undefined {
  const { smoke, approve, pauseTimeoutMinutes } = environment.release;
  return smoke.length > 0 || approve ? pauseTimeoutMinutes : undefined;
}

/** The most tasks an environment's service runs outside a release, and the config field that says so. */
export interface MostTasks {
  /** the number of tasks. */
  readonly count: number;
  /** the field, relative to `environments.<env>`. */
  readonly field: 'desiredTaskCount' | 'autoScaling.maxTasks';
}

/**
 * The most tasks the service runs outside a release: `autoScaling.maxTasks` with auto-scaling, else
 * `desiredTaskCount`. A release runs twice as many (blue and green).
 * @param environment the environment
 */
export function mostTasks(environment: Pick<EnvironmentConfig, 'desiredTaskCount' | 'autoScaling'>): MostTasks {
  return environment.autoScaling
    ? { count: environment.autoScaling.maxTasks, field: 'autoScaling.maxTasks' }
    : { count: environment.desiredTaskCount, field: 'desiredTaskCount' };
}

/** The whole, validated berth configuration. */
export interface BerthConfig {
  /** application name: prefixes stack names (`<app>-pre`), SSM paths and the ECR repository. */
  readonly appName: string;
  /** AWS account id every stack deploys to. */
  readonly account: string;
  /** AWS region every stack deploys to. */
  readonly region: string;
  /** DNS settings. */
  readonly domain: DomainConfig;
  /** the VPC. */
  readonly vpc: VpcConfig;
  /** the application repository on GitHub; without it no release check in `berth promote` and no delivery roles. */
  readonly github?: GithubConfig;
  /** per-environment settings, keyed by environment name. */
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
}

/**
 * The major version a version belongs to (`8.4.7` → `8.4`, `16.13` → `16`), or undefined when it is not
 * one of the majors berth runs.
 * @param engine mysql or postgres
 * @param version a major or a full version
 */
export function majorVersionOf(engine: DatabaseEngine, version: string): string | undefined {
  return DATABASE_MAJOR_VERSIONS[engine].find((major) => version === major || version.startsWith(`${major}.`));
}

/**
 * Turns what the schema read into the config the stacks get.
 * @param read the config with the schema's defaults filled in
 */
export function resolveConfig(read: ConfigRead): BerthConfig {
  const vpc: VpcConfig =
    'vpcId' in read.vpc && read.vpc.vpcId !== undefined
      ? { kind: 'imported', ...read.vpc, privateSubnetIds: read.vpc.privateSubnetIds ?? [] }
      : {
          kind: 'new',
          ...(read.vpc as Read<typeof newVpcSchema>),
          natGateways: (read.vpc as Read<typeof newVpcSchema>).natGateways ?? defaultNatGateways(read.vpc.instanceSubnets),
        };
  const environments = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [name, resolveEnvironment(name, read.environments[name], read.appName)]),
  ) as Record<EnvironmentName, EnvironmentConfig>;
  const { appName, account, region, domain, github } = read;
  return { appName, account, region, domain, vpc, ...(github ? { github } : {}), environments };
}

function resolveEnvironment(name: EnvironmentName, read: EnvironmentRead, appName: string): EnvironmentConfig {
  const { container, database, maxCapacity, initialImageTag, autoScaling, ...rest } = read;
  const resolvedDatabase = database?.enabled ? resolveDatabase(database, appName) : undefined;
  return {
    name,
    ...rest,
    maxCapacity: maxCapacity ?? Math.max(MAX_CAPACITY[name], read.minCapacity),
    container: {
      ...container,
      healthCheck: {
        ...container.healthCheck,
        command: container.healthCheck.command ?? defaultHealthCheckCommand(container.port, read.healthCheck.path),
      },
    },
    ...(initialImageTag === undefined ? {} : { initialImageTag }),
    ...(resolvedDatabase ? { database: resolvedDatabase } : {}),
    ...(autoScaling ? { autoScaling: resolveAutoScaling(autoScaling) } : {}),
  };
}

function resolveAutoScaling(read: Read<typeof autoScalingSchema>): AutoScalingConfig {
  const scheduledMinimums = Object.fromEntries(
    Object.entries(read.scheduledMinimums).map(([name, window]) => [
      name,
      { ...window, timeZone: window.timeZone ?? DEFAULT_SCHEDULE_TIME_ZONE },
    ]),
  );
  return { ...read, scheduledMinimums };
}

function resolveDatabase(read: DatabaseRead, appName: string): DatabaseConfig {
  // `enabled` is the switch, not a setting of the database.
  const { enabled, engineVersion, databaseName, instanceType, ...rest } = read;
  const full = engineVersion ?? DATABASE_DEFAULT_VERSIONS[read.engine];
  return {
    ...rest,
    // RDS takes the class without its `db.` prefix in aws-cdk-lib's InstanceType.
    instanceType: instanceType.replace(/^db\./, ''),
    engineVersion: { full, major: majorVersionOf(read.engine, full) ?? DATABASE_MAJOR_VERSIONS[read.engine][0] },
    databaseName: databaseName ?? defaultDatabaseName(appName),
  };
}
