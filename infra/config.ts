import * as fs from 'node:fs';
import * as rds from 'aws-cdk-lib/aws-rds';
import {
  architectureProblem,
  databaseClassProblem,
  eniTrunkingProblem,
  releaseRoomProblem,
  taskFitProblem,
  unknownInstanceTypeProblem,
} from './capacity-checks';
import { findInstanceType } from './facts/instance-types';

/**
 * The environments berth runs. `pre` follows the delivery branch (`github.branch`); `live` runs a promoted release.
 */
export const ENVIRONMENT_NAMES = ['pre', 'live'] as const;

/** One of {@link ENVIRONMENT_NAMES}. */
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** CPU architectures the ECS-optimized Amazon Linux 2023 AMI is published for. */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** One of {@link ARCHITECTURES}. */
export type Architecture = (typeof ARCHITECTURES)[number];

/** ECS agent image pull behaviours (`ECS_IMAGE_PULL_BEHAVIOR`). */
export const IMAGE_PULL_BEHAVIOURS = ['default', 'always', 'once', 'prefer-cached'] as const;

/** One of {@link IMAGE_PULL_BEHAVIOURS}. */
export type ImagePullBehaviour = (typeof IMAGE_PULL_BEHAVIOURS)[number];

/** Where the EC2 instances (and the tasks on them) are placed. */
export const INSTANCE_SUBNET_KINDS = ['private', 'public'] as const;

/** One of {@link INSTANCE_SUBNET_KINDS}. */
export type InstanceSubnetKind = (typeof INSTANCE_SUBNET_KINDS)[number];

/** Database engines an environment can run. */
export const DATABASE_ENGINES = ['mysql', 'postgres'] as const;

/** One of {@link DATABASE_ENGINES}. */
export type DatabaseEngine = (typeof DATABASE_ENGINES)[number];

/** The smallest gp3 volume RDS accepts for MySQL and PostgreSQL, in GiB. */
export const DATABASE_MINIMUM_STORAGE_GIB = 20;

/** The largest gp3 volume RDS accepts for MySQL and PostgreSQL, in GiB (64 TiB). */
export const DATABASE_MAXIMUM_STORAGE_GIB = 65536;

/**
 * Major versions berth runs, per engine: MySQL 8 (the systems berth grew from run 8.0, which RDS now
 * bills as Extended Support; 8.4 is the long-term release), and the PostgreSQL majors in RDS standard
 * support.
 */
const DATABASE_MAJOR_VERSIONS: Readonly<Record<DatabaseEngine, readonly string[]>> = {
  mysql: ['8.0', '8.4'],
  postgres: ['14', '15', '16', '17', '18'],
};

/** A database engine version that aws-cdk-lib knows, with what a parameter group and client image need. */
export interface DatabaseEngineVersion {
  /** the version as RDS takes it: a major version (`8.4`, `16`) or a full one (`8.4.7`, `16.13`). */
  readonly full: string;
  /** the major version (`8.4`, `16`): the parameter group family and the client image tag follow it. */
  readonly major: string;
}

/**
 * Every version of an engine that berth accepts: the majors on their own (RDS then applies minor upgrades
 * itself) and each full version of those majors that aws-cdk-lib's `MysqlEngineVersion` /
 * `PostgresEngineVersion` lists.
 * @param engine mysql or postgres
 */
export function databaseEngineVersions(engine: DatabaseEngine): DatabaseEngineVersion[] {
  const majors = DATABASE_MAJOR_VERSIONS[engine];
  const known =
    engine === 'mysql'
      ? Object.values(rds.MysqlEngineVersion)
          .filter((v): v is rds.MysqlEngineVersion => v instanceof rds.MysqlEngineVersion)
          .map((v) => ({ full: v.mysqlFullVersion, major: v.mysqlMajorVersion }))
      : Object.values(rds.PostgresEngineVersion)
          .filter((v): v is rds.PostgresEngineVersion => v instanceof rds.PostgresEngineVersion)
          .map((v) => ({ full: v.postgresFullVersion, major: v.postgresMajorVersion }));
  const versions = [
    ...majors.map((major) => ({ full: major, major })),
    ...known.filter((v) => majors.includes(v.major) && v.full !== v.major),
  ];
  return versions;
}

/** The optional managed database of one environment (RDS, in private subnets only). */
export interface DatabaseConfig {
  /** the engine. @default 'mysql' */
  readonly engine: DatabaseEngine;
  /**
   * the engine version: a major version (minor upgrades are applied by RDS) or a full version
   * that aws-cdk-lib knows.
   * @default '8.4' for mysql, '17' for postgres
   */
  readonly engineVersion: DatabaseEngineVersion;
  /** RDS instance class without the `db.` prefix (`db.t4g.micro` is accepted too). @default 't4g.micro' for pre, 't4g.small' for live */
  readonly instanceType: string;
  /** gp3 storage in GiB; RDS needs at least 20 for MySQL and PostgreSQL. @default 20 */
  readonly allocatedStorageGiB: number;
  /** a standby in a second availability zone that RDS fails over to. @default false for pre, true for live */
  readonly multiAz: boolean;
  /** days automated backups (point-in-time recovery) are kept, 1 to 35. @default 7 for pre, 30 for live */
  readonly backupRetentionDays: number;
  /** whether the database refuses to be deleted (also by CloudFormation). @default false for pre, true for live */
  readonly deletionProtection: boolean;
  /**
   * whether a final snapshot is taken when CloudFormation deletes or replaces the database (removal
   * policy SNAPSHOT); without it the data is gone.
   * @default true
   */
  readonly finalSnapshot: boolean;
  /** name of the database created in the instance. @default - the app name with `-` replaced by `_` */
  readonly databaseName: string;
  /** days between automatic rotations of the master password, 1 to 365. @default 30 */
  readonly secretRotationDays: number;
}

/** The public DNS zone the environments' subdomains live in. */
export interface DomainConfig {
  /** apex domain, e.g. `example.com`; live serves `be.example.com`, pre `pre-be.example.com`. */
  readonly name: string;
  /** id of the Route 53 public hosted zone for {@link name}, e.g. `Z0123456789ABCDEFGHIJ`. */
  readonly hostedZoneId: string;
}

/** The application's GitHub repository: its releases are what `berth promote` checks and its workflows deliver. */
export interface GithubConfig {
  /** `owner/name` of the application repository (not this one). */
  readonly repository: string;
  /**
   * the delivery branch of the application repository: its pushes build the image pre runs and deploy pre,
   * and the OIDC trust of both delivery roles names it. Pre's image tag stays `master` whatever the branch.
   * @default 'master'
   */
  readonly branch: string;
  /**
   * ARN of the account's existing GitHub Actions OIDC identity provider; an account can hold only one
   * provider per URL, so import it when another stack already created it.
   * @default - the shared stack creates the provider
   */
  readonly oidcProviderArn?: string;
}

/** A VPC that the shared stack creates. */
export interface NewVpcConfig {
  /** discriminates a new VPC from an imported one. */
  readonly kind: 'new';
  /** IPv4 CIDR of the VPC, a /16 to /24. */
  readonly cidr: string;
  /** availability zones to spread subnets over; at least two, because an ALB needs two. */
  readonly availabilityZones: readonly string[];
  /**
   * NAT gateways to create (one per AZ at most).
   * @default - 1 when instances are in private subnets, 0 when they are in public subnets
   */
  readonly natGateways: number;
  /**
   * where instances go: `private` (behind NAT) or `public` (no NAT, the low-cost option).
   * @default 'private'
   */
  readonly instanceSubnets: InstanceSubnetKind;
}

/** An existing VPC, imported by ids without any lookup. */
export interface ImportedVpcConfig {
  /** discriminates an imported VPC from a new one. */
  readonly kind: 'imported';
  /** the VPC id, `vpc-…`. */
  readonly vpcId: string;
  /** the AZs of the subnets below, in the same order. */
  readonly availabilityZones: readonly string[];
  /** public subnets (one per AZ) for the load balancers. */
  readonly publicSubnetIds: readonly string[];
  /** private subnets with a route to NAT (one per AZ) for instances and tasks; empty when `instanceSubnets` is `public`. */
  readonly privateSubnetIds: readonly string[];
  /**
   * where instances go.
   * @default 'private'
   */
  readonly instanceSubnets: InstanceSubnetKind;
}

/** One of the two VPC configurations. */
export type VpcConfig = NewVpcConfig | ImportedVpcConfig;

/** The application container, as every task of an environment runs it. */
export interface ContainerConfig {
  /** CPU units reserved for the container (1024 = one vCPU). @default 256 */
  readonly cpu: number;
  /** hard memory limit of the container in MiB. @default 512 */
  readonly memoryMiB: number;
  /** port the application listens on inside the container. @default 8080 */
  readonly port: number;
  /** seconds ECS waits after SIGTERM before it kills the container. @default 30 */
  readonly stopTimeoutSeconds: number;
  /** the container's own health check, which ECS runs inside the task. */
  readonly healthCheck: ContainerHealthCheckConfig;
  /**
   * plain environment variables, name to value; nothing secret (they are readable in the task definition).
   * @default {}
   */
  readonly environment: Readonly<Record<string, string>>;
  /**
   * secrets injected as environment variables, name to the ARN of a Secrets Manager secret (complete ARN,
   * with its six-character suffix) or of an SSM SecureString parameter; the task's execution role may read
   * exactly these and nothing else.
   * @default {}
   */
  readonly secrets: Readonly<Record<string, string>>;
}

/** The health check ECS runs inside the application container (`docker HEALTHCHECK`). */
export interface ContainerHealthCheckConfig {
  /**
   * shell command that exits 0 when the application is healthy; it needs `curl` in the image by default.
   * @default - `curl -fsS http://localhost:<port><healthCheck.path> || exit 1`
   */
  readonly command: string;
  /** seconds between two checks. @default 10 */
  readonly intervalSeconds: number;
  /** seconds a check may take. @default 5 */
  readonly timeoutSeconds: number;
  /** failed checks in a row before the container counts as unhealthy. @default 3 */
  readonly retries: number;
  /**
   * seconds the application may take to start: failed container checks do not count and ECS ignores the
   * load balancer's verdict for this long (the service's health check grace period).
   * @default 30
   */
  readonly startPeriodSeconds: number;
}

/** How the load balancer checks each task in the blue and green target groups. */
export interface TargetHealthCheckConfig {
  /** HTTP path the load balancer requests; any 2xx answer is healthy. @default '/health' */
  readonly path: string;
  /** seconds between two checks of a target. @default 10 */
  readonly intervalSeconds: number;
  /** seconds without an answer before a check fails; less than the interval. @default 5 */
  readonly timeoutSeconds: number;
  /** passed checks in a row before a new target receives traffic. @default 2 */
  readonly healthyThreshold: number;
  /** failed checks in a row before a target stops receiving traffic. @default 3 */
  readonly unhealthyThreshold: number;
}

/** The listener rule that reaches the green tasks of a release before production traffic shifts. */
export interface TestRuleConfig {
  /** request header that selects the test rule. @default 'x-berth-test' */
  readonly headerName: string;
  /** value the header must have. @default 'green' */
  readonly headerValue: string;
  /**
   * source CIDRs the test rule is limited to (at most 3, an ALB limit); other sources get production.
   * @default [] - any source that sends the header
   */
  readonly sourceCidrs: readonly string[];
}

/** Thresholds of the CloudWatch alarms that roll a release back (each over one-minute periods). */
export interface ReleaseAlarmsConfig {
  /** target 5xx answers per minute, blue and green together, that count as bad. @default 10 */
  readonly target5xxPerMinute: number;
  /** p99 target response time, in milliseconds, that counts as bad. @default 2000 */
  readonly p99LatencyMs: number;
  /** consecutive bad minutes before an alarm fires and the release rolls back. @default 2 */
  readonly evaluationMinutes: number;
}

/** Everything that differs between `pre` and `live`. */
export interface EnvironmentConfig {
  /** the environment's name. */
  readonly name: EnvironmentName;
  /** subdomain under {@link DomainConfig.name}. @default 'be' for live, 'pre-be' for pre */
  readonly subdomain: string;
  /** EC2 instance type, e.g. `t3.small` or `t4g.small`; one that infra/facts/ec2-instance-types.ts lists. @default 't3.small' */
  readonly instanceType: string;
  /** CPU architecture; must match the instance type's in the table. @default 'x86_64' */
  readonly architecture: Architecture;
  /**
   * whether the account's `awsvpcTrunking` ECS setting is on, so that instances of a type ECS trunks run
   * its trunked task limit instead of one task per network interface; berth does not turn it on.
   * @default false
   */
  readonly eniTrunking: boolean;
  /**
   * an AMI id to hold instances on; without it the newest ECS-optimized AL2023 AMI is read from
   * its public SSM parameter at every deploy, and a new AMI replaces the instances.
   * @default - the newest ECS-optimized Amazon Linux 2023 AMI
   */
  readonly amiId?: string;
  /** smallest size of the Auto Scaling group. @default 1 */
  readonly minCapacity: number;
  /** largest size of the Auto Scaling group. @default 2 for pre, 4 for live */
  readonly maxCapacity: number;
  /**
   * size the group is set to at every deploy; ECS managed scaling adjusts it afterwards.
   * @default - left to ECS managed scaling
   */
  readonly desiredCapacity?: number;
  /** root (and Docker) volume size in GiB; the ECS AL2023 AMI needs at least 30. @default 30 */
  readonly rootVolumeGiB: number;
  /** the ECS agent's image pull behaviour. @default 'default' for pre (re-pulls `master`), 'prefer-cached' for live */
  readonly imagePullBehaviour: ImagePullBehaviour;
  /** the application container. */
  readonly container: ContainerConfig;
  /** tasks the service keeps running. @default 1 for pre, 2 for live */
  readonly desiredTaskCount: number;
  /**
   * the managed database; present only when config sets `database.enabled` to true.
   * @default - no database
   */
  readonly database?: DatabaseConfig;
  /** how the load balancer checks each task. */
  readonly healthCheck: TargetHealthCheckConfig;
  /**
   * seconds the load balancer lets requests in flight finish on a task that leaves (AWS's default is 300).
   * @default 10 for pre, 30 for live
   */
  readonly deregistrationDelaySeconds: number;
  /**
   * minutes blue keeps running after traffic shifted to green, while the alarms can still roll back.
   * @default 2 for pre, 10 for live
   */
  readonly bakeMinutes: number;
  /** the test listener rule. */
  readonly testRule: TestRuleConfig;
  /** the alarms that roll a release back. */
  readonly alarms: ReleaseAlarmsConfig;
  /**
   * the load balancer also listens on IPv6 and gets an AAAA record; needs public subnets with IPv6 CIDR
   * blocks, so only with an imported VPC.
   * @default false
   */
  readonly dualStack: boolean;
  /** whether the load balancer is protected from deletion. @default false for pre, true for live */
  readonly deletionProtection: boolean;
  /** days the load balancer's access logs are kept. @default 30 for pre, 365 for live */
  readonly accessLogRetentionDays: number;
  /**
   * the release tag `/berth/<app>/live/image-tag` starts with when the shared stack creates it (live only).
   * The image must be in the repository before live's first deploy; afterwards `berth promote` owns the
   * parameter, and CloudFormation only writes it again if this value changes.
   * @default 'v1.0.0' for live; undefined for pre, which runs `master`
   */
  readonly initialImageTag?: string;
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
  /**
   * the application repository on GitHub.
   * @default - no GitHub release check in `berth promote`, no delivery roles
   */
  readonly github?: GithubConfig;
  /** per-environment settings, keyed by environment name. */
  readonly environments: Readonly<Record<EnvironmentName, EnvironmentConfig>>;
}

/** Thrown for every invalid configuration; its message lists each bad field on its own line. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid berth config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Defaults that differ per environment; everything else has one default in {@link containerDefaults} or inline. */
const ENVIRONMENT_DEFAULTS: Readonly<
  Record<
    EnvironmentName,
    Omit<EnvironmentConfig, 'name' | 'container' | 'amiId' | 'desiredCapacity' | 'healthCheck' | 'testRule' | 'alarms' | 'database'>
  >
> = {
  pre: {
    subdomain: 'pre-be',
    instanceType: 't3.small',
    architecture: 'x86_64',
    eniTrunking: false,
    minCapacity: 1,
    maxCapacity: 2,
    rootVolumeGiB: 30,
    // pre runs the mutable `master` tag: the agent must look for a newer image at every task start.
    imagePullBehaviour: 'default',
    desiredTaskCount: 1,
    // pre is redeployed on every merge: short drains and a short bake keep the feedback loop fast.
    deregistrationDelaySeconds: 10,
    bakeMinutes: 2,
    dualStack: false,
    deletionProtection: false,
    accessLogRetentionDays: 30,
  },
  live: {
    subdomain: 'be',
    instanceType: 't3.small',
    architecture: 'x86_64',
    eniTrunking: false,
    minCapacity: 1,
    maxCapacity: 4,
    rootVolumeGiB: 30,
    // live runs immutable `v*` tags only, so a cached image is always the right one.
    imagePullBehaviour: 'prefer-cached',
    desiredTaskCount: 2,
    // live serves customers: let slower requests finish, and keep blue ready to take traffic back for longer.
    deregistrationDelaySeconds: 30,
    bakeMinutes: 10,
    dualStack: false,
    deletionProtection: true,
    accessLogRetentionDays: 365,
    initialImageTag: 'v1.0.0',
  },
};

const containerDefaults: Omit<ContainerConfig, 'healthCheck'> & { readonly healthCheck: Omit<ContainerHealthCheckConfig, 'command'> } = {
  cpu: 256,
  memoryMiB: 512,
  port: 8080,
  stopTimeoutSeconds: 30,
  healthCheck: { intervalSeconds: 10, timeoutSeconds: 5, retries: 3, startPeriodSeconds: 30 },
  environment: {},
  secrets: {},
};

// tuned for a fast, safe cut-over: a new task takes traffic after 2 x 10 s instead of AWS's 5 x 30 s.
const targetHealthCheckDefaults: TargetHealthCheckConfig = {
  path: '/health',
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};

const testRuleDefaults: TestRuleConfig = { headerName: 'x-berth-test', headerValue: 'green', sourceCidrs: [] };

const releaseAlarmsDefaults: ReleaseAlarmsConfig = { target5xxPerMinute: 10, p99LatencyMs: 2000, evaluationMinutes: 2 };

/** Longest domain name an ACM certificate's subject takes. */
const MAX_CERTIFICATE_DOMAIN_LENGTH = 64;

/** Most source CIDRs a test rule can hold: an ALB rule allows five condition values, host and header take two. */
export const MAX_TEST_SOURCE_CIDRS = 3;

/** Database defaults that differ per environment: live keeps more and is harder to lose. */
const DATABASE_DEFAULTS: Readonly<
  Record<EnvironmentName, Pick<DatabaseConfig, 'instanceType' | 'multiAz' | 'backupRetentionDays' | 'deletionProtection' | 'finalSnapshot'>>
> = {
  pre: {
    instanceType: 't4g.micro',
    multiAz: false,
    backupRetentionDays: 7,
    // pre can be torn down with `cdk destroy`; the final snapshot still keeps its data.
    deletionProtection: false,
    finalSnapshot: true,
  },
  live: {
    instanceType: 't4g.small',
    multiAz: true,
    backupRetentionDays: 30,
    deletionProtection: true,
    finalSnapshot: true,
  },
};

/** Database defaults shared by both environments. */
const databaseDefaults = {
  engine: 'mysql',
  engineVersion: { mysql: '8.4', postgres: '17' },
  allocatedStorageGiB: DATABASE_MINIMUM_STORAGE_GIB,
  secretRotationDays: 30,
} as const;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/**
 * Reads a config file and validates it; see {@link parseConfig}.
 * @param file path of a JSON config file
 */
export function loadConfig(file: string): BerthConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
  return parseConfig(raw, file);
}

/**
 * Validates a parsed config and fills in defaults. Collects every problem before it throws, so a user
 * fixes a config in one pass.
 * @param raw the parsed JSON
 * @param source where it came from, for the error message
 */
export function parseConfig(raw: unknown, source = 'config'): BerthConfig {
  const v = new Validator();
  const root = v.object(raw, 'config');
  v.onlyKeys(root, 'config', ['$schema', 'appName', 'account', 'region', 'domain', 'vpc', 'github', 'environments']);

  const appName = v.string(
    root,
    'appName',
    /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/,
    '3 to 20 lower-case letters, digits and hyphens, starting with a letter',
  );
  const account = v.string(root, 'account', /^\d{12}$/, 'a 12-digit AWS account id');
  const region = v.string(root, 'region', /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/, 'an AWS region such as eu-west-1');

  let domainRaw: JsonObject = {};
  const domainValid = v.unchanged(() => {
    domainRaw = v.object(root.domain, 'domain');
  });
  v.onlyKeys(domainRaw, 'domain', ['name', 'hostedZoneId']);
  // a missing domain is one problem, not one per field inside it.
  const domain: DomainConfig = domainValid
    ? {
        name: v.string(domainRaw, 'name', HOSTNAME, 'a DNS name such as example.com', 'domain'),
        hostedZoneId: v.string(
          domainRaw,
          'hostedZoneId',
          /^Z[A-Z0-9]{1,31}$/,
          'a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ',
          'domain',
        ),
      }
    : { name: '', hostedZoneId: '' };

  const vpc = parseVpc(v, root.vpc, region);

  let github: GithubConfig | undefined;
  if (root.github !== undefined) {
    const githubRaw = v.object(root.github, 'github');
    v.onlyKeys(githubRaw, 'github', ['repository', 'branch', 'oidcProviderArn']);
    const repository = v.string(githubRaw, 'repository', /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, 'owner/name of a GitHub repository', 'github');
    const branch = v.string(
      githubRaw,
      'branch',
      GIT_BRANCH,
      'a git branch name such as main or release/2.x (no spaces or ~ ^ : ? * [ \\, no "..", "@{" or "//", no part that starts with "." or ends with ".lock", not starting with "-" or "refs/")',
      'github',
      DEFAULT_DELIVERY_BRANCH,
    );
    const oidcProviderArn =
      githubRaw.oidcProviderArn === undefined
        ? undefined
        : v.string(
            githubRaw,
            'oidcProviderArn',
            /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
            'the ARN of the token.actions.githubusercontent.com OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
            'github',
          );
    github = { repository, branch, ...(oidcProviderArn ? { oidcProviderArn } : {}) };
  }

  const envsRaw = v.object(root.environments, 'environments');
  for (const key of Object.keys(envsRaw)) {
    if (!(ENVIRONMENT_NAMES as readonly string[]).includes(key)) {
      v.problem(`environments.${key}: unknown environment; allowed environments are: ${ENVIRONMENT_NAMES.join(', ')}`);
    }
  }
  const environments = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [name, parseEnvironment(v, name, envsRaw[name], { appName, vpc })]),
  ) as Record<EnvironmentName, EnvironmentConfig>;
  if (environments.pre.subdomain === environments.live.subdomain) {
    v.problem(`environments.live.subdomain: "${environments.live.subdomain}" is also pre's subdomain; each environment needs its own`);
  }

  for (const name of ENVIRONMENT_NAMES) {
    const fqdn = `${environments[name].subdomain}.${domain.name}`;
    if (domain.name !== '' && fqdn.length > MAX_CERTIFICATE_DOMAIN_LENGTH) {
      v.problem(
        `environments.${name}.subdomain: ${fqdn} has ${fqdn.length} characters; allowed: at most ${MAX_CERTIFICATE_DOMAIN_LENGTH} with the domain, the longest name an ACM certificate takes`,
      );
    }
    if (environments[name].dualStack && vpc.kind === 'new') {
      v.problem(
        `environments.${name}.dualStack: true needs public subnets with IPv6 CIDR blocks, which the VPC berth creates does not have; allowed: false, or an imported VPC (vpc.vpcId) whose public subnets have IPv6`,
      );
    }
  }

  v.throwIfAny(source);
  return { appName, account, region, domain, vpc, ...(github ? { github } : {}), environments };
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

function parseVpc(v: Validator, value: Json | undefined, region: string): VpcConfig {
  const raw = v.object(value, 'vpc');
  const instanceSubnets = v.oneOf(raw, 'instanceSubnets', INSTANCE_SUBNET_KINDS, 'private', 'vpc');
  const availabilityZones = v.stringList(
    raw,
    'availabilityZones',
    /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d[a-z]$/,
    'availability zone names such as eu-west-1a',
    'vpc',
  );
  const wrongRegion = availabilityZones.filter((az) => !az.startsWith(region));
  if (wrongRegion.length > 0) {
    v.problem(
      `vpc.availabilityZones: ${wrongRegion.join(', ')} not in region ${region}; allowed are zones of ${region} such as ${region}a`,
    );
  }
  if (availabilityZones.length < 2 || new Set(availabilityZones).size !== availabilityZones.length) {
    v.problem(
      `vpc.availabilityZones: ${JSON.stringify(availabilityZones)} must name at least 2 distinct zones, because a load balancer needs two`,
    );
  }
  if (raw.vpcId !== undefined) {
    v.onlyKeys(raw, 'vpc', ['vpcId', 'availabilityZones', 'publicSubnetIds', 'privateSubnetIds', 'instanceSubnets']);
    const subnetIds = (key: string) => {
      const ids = v.stringList(raw, key, /^subnet-[0-9a-f]{8,17}$/, 'subnet ids such as subnet-0123456789abcdef0', 'vpc');
      if (ids.length > 0 && ids.length !== availabilityZones.length) {
        v.problem(
          `vpc.${key}: ${ids.length} subnets for ${availabilityZones.length} availability zones; give one subnet per zone, in the zones' order`,
        );
      }
      return ids;
    };
    const publicSubnetIds = subnetIds('publicSubnetIds');
    const privateSubnetIds = raw.privateSubnetIds === undefined && instanceSubnets === 'public' ? [] : subnetIds('privateSubnetIds');
    if (instanceSubnets === 'private' && privateSubnetIds.length === 0) {
      v.problem(
        'vpc.privateSubnetIds: required when vpc.instanceSubnets is "private"; allowed: one private subnet id per zone, or set instanceSubnets to "public"',
      );
    }
    return {
      kind: 'imported',
      vpcId: v.string(raw, 'vpcId', /^vpc-[0-9a-f]{8,17}$/, 'a VPC id such as vpc-0123456789abcdef0', 'vpc'),
      availabilityZones,
      publicSubnetIds,
      privateSubnetIds,
      instanceSubnets,
    };
  }
  v.onlyKeys(raw, 'vpc', ['cidr', 'availabilityZones', 'natGateways', 'instanceSubnets']);
  const cidr = v.string(raw, 'cidr', /^.*$/, 'an IPv4 CIDR', 'vpc');
  const cidrProblem = checkCidr(cidr);
  if (cidrProblem) v.problem(`vpc.cidr: "${cidr}" ${cidrProblem}; allowed: an IPv4 CIDR block from /16 to /24 such as 10.20.0.0/16`);
  const natGateways = v.integer(raw, 'natGateways', instanceSubnets === 'private' ? 1 : 0, 0, availabilityZones.length, 'vpc');
  if (instanceSubnets === 'private' && natGateways === 0) {
    v.problem(
      'vpc.natGateways: 0 leaves private instances without a route to ECS and ECR; allowed: 1 or more, or set vpc.instanceSubnets to "public"',
    );
  }
  if (instanceSubnets === 'public' && natGateways > 0) {
    v.problem(
      `vpc.natGateways: ${natGateways} NAT gateways would go unused with vpc.instanceSubnets "public"; allowed: 0, or set instanceSubnets to "private"`,
    );
  }
  return { kind: 'new', cidr, availabilityZones, natGateways, instanceSubnets };
}

/** Returns what is wrong with an IPv4 CIDR, or undefined when it is fine. */
function checkCidr(cidr: string): string | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return 'is not an IPv4 CIDR';
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) return 'has an octet above 255';
  if (prefix < 16 || prefix > 24) return `has prefix /${prefix}, outside what a VPC allows`;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  if (address % 2 ** (32 - prefix) !== 0) return `has host bits set for a /${prefix}`;
  return undefined;
}

/** What an environment's validation needs from the rest of the config. */
interface EnvironmentContext {
  readonly appName: string;
  readonly vpc: VpcConfig;
}

function parseEnvironment(v: Validator, name: EnvironmentName, value: Json | undefined, context: EnvironmentContext): EnvironmentConfig {
  const path = `environments.${name}`;
  const raw = v.object(value, path);
  if (name === 'pre' && raw.initialImageTag !== undefined) {
    v.problem(`${path}.initialImageTag: pre always runs the \`master\` image; allowed: only environments.live.initialImageTag`);
  }
  v.onlyKeys(raw, path, [
    'subdomain',
    'instanceType',
    'architecture',
    'eniTrunking',
    'amiId',
    'minCapacity',
    'maxCapacity',
    'desiredCapacity',
    'rootVolumeGiB',
    'imagePullBehaviour',
    'container',
    'desiredTaskCount',
    'healthCheck',
    'deregistrationDelaySeconds',
    'bakeMinutes',
    'testRule',
    'alarms',
    'dualStack',
    'deletionProtection',
    'accessLogRetentionDays',
    'initialImageTag',
    'database',
  ]);
  const defaults = ENVIRONMENT_DEFAULTS[name];

  const subdomain = v.string(raw, 'subdomain', SUBDOMAIN, 'a DNS label such as be', path, defaults.subdomain);
  const instanceType = v.string(raw, 'instanceType', /^.*$/, 'an EC2 instance type', path, defaults.instanceType);
  let architecture: Architecture = defaults.architecture;
  const architectureValid = v.unchanged(() => {
    architecture = v.oneOf(raw, 'architecture', ARCHITECTURES, defaults.architecture, path);
  });
  // the type's facts (architecture, vCPUs, memory, interfaces, trunking) come from the generated table.
  const instanceFacts = findInstanceType(instanceType);
  v.report(unknownInstanceTypeProblem(`${path}.instanceType`, instanceType, instanceFacts));
  if (instanceFacts && architectureValid) v.report(architectureProblem(`${path}.architecture`, instanceFacts, architecture));
  const eniTrunking = v.boolean(raw, 'eniTrunking', defaults.eniTrunking, path);
  if (instanceFacts) v.report(eniTrunkingProblem(`${path}.eniTrunking`, instanceFacts, eniTrunking));
  const amiId =
    raw.amiId === undefined ? undefined : v.string(raw, 'amiId', /^ami-[0-9a-f]{8,17}$/, 'an AMI id such as ami-0123456789abcdef0', path);

  const minCapacity = v.integer(raw, 'minCapacity', defaults.minCapacity, 0, 100, path);
  let maxCapacity = 0;
  const maxCapacityValid = v.unchanged(() => {
    maxCapacity = v.integer(raw, 'maxCapacity', Math.max(defaults.maxCapacity, minCapacity), 1, 100, path);
  });
  if (minCapacity > maxCapacity) {
    v.problem(`${path}.minCapacity: ${minCapacity} is greater than maxCapacity ${maxCapacity}; allowed: minCapacity <= maxCapacity`);
  }
  const desiredCapacity = raw.desiredCapacity === undefined ? undefined : v.integer(raw, 'desiredCapacity', 0, 0, 100, path);
  if (desiredCapacity !== undefined && (desiredCapacity < minCapacity || desiredCapacity > maxCapacity)) {
    v.problem(`${path}.desiredCapacity: ${desiredCapacity} is outside minCapacity..maxCapacity (${minCapacity}..${maxCapacity})`);
  }
  const rootVolumeGiB = v.integer(raw, 'rootVolumeGiB', defaults.rootVolumeGiB, 30, 16384, path);
  const imagePullBehaviour = v.oneOf(raw, 'imagePullBehaviour', IMAGE_PULL_BEHAVIOURS, defaults.imagePullBehaviour, path);
  if (name === 'pre' && (imagePullBehaviour === 'prefer-cached' || imagePullBehaviour === 'once')) {
    v.problem(
      `${path}.imagePullBehaviour: "${imagePullBehaviour}" would keep running a cached \`master\` after a new one is pushed; allowed for pre: default, always`,
    );
  }
  let desiredTaskCount = 0;
  const desiredTaskCountValid = v.unchanged(() => {
    desiredTaskCount = v.integer(raw, 'desiredTaskCount', defaults.desiredTaskCount, 0, 100, path);
  });

  const containerPath = `${path}.container`;
  const containerRaw = v.optionalSection(raw.container, containerPath, [
    'cpu',
    'memoryMiB',
    'port',
    'stopTimeoutSeconds',
    'healthCheck',
    'environment',
    'secrets',
  ]);
  const port = v.integer(containerRaw, 'port', containerDefaults.port, 1, 65535, containerPath);

  const healthCheck = parseTargetHealthCheck(v, raw.healthCheck, `${path}.healthCheck`);
  let task = { cpu: containerDefaults.cpu, memoryMiB: containerDefaults.memoryMiB };
  const taskValid = v.unchanged(() => {
    task = {
      cpu: v.integer(containerRaw, 'cpu', containerDefaults.cpu, 128, 16384, containerPath),
      memoryMiB: v.integer(containerRaw, 'memoryMiB', containerDefaults.memoryMiB, 128, 120000, containerPath),
    };
  });
  // capacity arithmetic only on valid numbers: a bad one is its own problem, not a cascade of others.
  if (instanceFacts && maxCapacityValid && desiredTaskCountValid && taskValid) {
    const fitProblem = taskFitProblem(path, instanceFacts, task, eniTrunking);
    v.report(fitProblem);
    if (fitProblem === undefined) v.report(releaseRoomProblem(path, instanceFacts, { task, desiredTaskCount, maxCapacity, eniTrunking }));
  }
  const container: ContainerConfig = {
    cpu: task.cpu,
    memoryMiB: task.memoryMiB,
    port,
    stopTimeoutSeconds: v.integer(containerRaw, 'stopTimeoutSeconds', containerDefaults.stopTimeoutSeconds, 2, 120, containerPath),
    healthCheck: parseContainerHealthCheck(
      v,
      containerRaw.healthCheck,
      `${containerPath}.healthCheck`,
      `curl -fsS http://localhost:${port}${healthCheck.path} || exit 1`,
    ),
    environment: v.stringMap(
      containerRaw,
      'environment',
      ENV_VAR_NAME,
      'variable names of letters, digits and underscores',
      /^[\s\S]{0,4096}$/,
      'strings of up to 4096 characters',
      containerPath,
    ),
    secrets: v.stringMap(
      containerRaw,
      'secrets',
      ENV_VAR_NAME,
      'variable names of letters, digits and underscores',
      SECRET_ARN,
      'complete Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>) or SSM parameter ARNs (arn:aws:ssm:<region>:<account>:parameter/<name>)',
      containerPath,
    ),
  };
  const both = Object.keys(container.environment).filter((key) => key in container.secrets);
  if (both.length > 0) {
    v.problem(
      `${containerPath}.secrets: ${both.join(', ')} also set in environment; allowed: each variable in one of environment or secrets`,
    );
  }

  const testRulePath = `${path}.testRule`;
  const testRuleRaw = v.optionalSection(raw.testRule, testRulePath, ['headerName', 'headerValue', 'sourceCidrs']);
  const sourceCidrs =
    testRuleRaw.sourceCidrs === undefined
      ? testRuleDefaults.sourceCidrs
      : v.stringList(testRuleRaw, 'sourceCidrs', IPV4_CIDR, 'IPv4 CIDRs such as 203.0.113.0/24', testRulePath);
  if (sourceCidrs.length > MAX_TEST_SOURCE_CIDRS) {
    v.problem(
      `${testRulePath}.sourceCidrs: ${sourceCidrs.length} CIDRs; allowed: at most ${MAX_TEST_SOURCE_CIDRS}, because an ALB rule holds five condition values and host and header take two`,
    );
  }
  const testRule: TestRuleConfig = {
    headerName: v.string(
      testRuleRaw,
      'headerName',
      /^[A-Za-z0-9-]{1,40}$/,
      'an HTTP header name of letters, digits and hyphens, up to 40 characters',
      testRulePath,
      testRuleDefaults.headerName,
    ),
    headerValue: v.string(
      testRuleRaw,
      'headerValue',
      /^[A-Za-z0-9._~-]{1,128}$/,
      'letters, digits and . _ ~ - (no wildcards), up to 128 characters',
      testRulePath,
      testRuleDefaults.headerValue,
    ),
    sourceCidrs,
  };

  const alarmsPath = `${path}.alarms`;
  const alarmsRaw = v.optionalSection(raw.alarms, alarmsPath, ['target5xxPerMinute', 'p99LatencyMs', 'evaluationMinutes']);
  const alarms: ReleaseAlarmsConfig = {
    target5xxPerMinute: v.integer(alarmsRaw, 'target5xxPerMinute', releaseAlarmsDefaults.target5xxPerMinute, 1, 100000, alarmsPath),
    p99LatencyMs: v.integer(alarmsRaw, 'p99LatencyMs', releaseAlarmsDefaults.p99LatencyMs, 10, 60000, alarmsPath),
    evaluationMinutes: v.integer(alarmsRaw, 'evaluationMinutes', releaseAlarmsDefaults.evaluationMinutes, 1, 30, alarmsPath),
  };

  const initialImageTag =
    name === 'live'
      ? v.string(raw, 'initialImageTag', RELEASE_TAG, 'a release tag vMAJOR.MINOR.PATCH such as v1.0.0', path, defaults.initialImageTag)
      : undefined;

  const database = raw.database === undefined ? undefined : parseDatabase(v, name, raw.database, context);
  if (database) {
    const taken = [...Object.keys(container.environment), ...Object.keys(container.secrets)].filter((key) =>
      (DATABASE_VARIABLE_NAMES as readonly string[]).includes(key),
    );
    if (taken.length > 0) {
      v.problem(
        `${containerPath}: ${taken.join(', ')} would hide the database settings berth injects; allowed: other names (${DATABASE_VARIABLE_NAMES.join(', ')} come from the database)`,
      );
    }
  }
  return {
    name,
    subdomain,
    instanceType,
    architecture,
    eniTrunking,
    amiId,
    minCapacity,
    maxCapacity,
    desiredCapacity,
    rootVolumeGiB,
    imagePullBehaviour,
    container,
    desiredTaskCount,
    healthCheck,
    // far below AWS's 300 s: every release drains blue once, so this adds to each release's duration.
    deregistrationDelaySeconds: v.integer(raw, 'deregistrationDelaySeconds', defaults.deregistrationDelaySeconds, 0, 3600, path),
    bakeMinutes: v.integer(raw, 'bakeMinutes', defaults.bakeMinutes, 0, 1440, path),
    testRule,
    alarms,
    dualStack: v.boolean(raw, 'dualStack', defaults.dualStack, path),
    deletionProtection: v.boolean(raw, 'deletionProtection', defaults.deletionProtection, path),
    accessLogRetentionDays: v.integer(raw, 'accessLogRetentionDays', defaults.accessLogRetentionDays, 1, 3650, path),
    ...(initialImageTag === undefined ? {} : { initialImageTag }),
    ...(database ? { database } : {}),
  };
}

/**
 * The variables an application container gets when the environment has a database (see
 * infra/constructs/database.ts): the credentials from the database secret, and the secret's ARN.
 */
export const DATABASE_VARIABLE_NAMES = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_SECRET_ARN'] as const;

/** One of {@link DATABASE_VARIABLE_NAMES}. */
export type DatabaseVariableName = (typeof DATABASE_VARIABLE_NAMES)[number];

/** Database names MySQL and PostgreSQL both accept without quoting. */
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Returns the database config when `enabled` is true, else undefined (the block is then only checked). */
function parseDatabase(v: Validator, name: EnvironmentName, value: Json, context: EnvironmentContext): DatabaseConfig | undefined {
  const path = `environments.${name}.database`;
  const raw = v.object(value, path);
  v.onlyKeys(raw, path, [
    'enabled',
    'engine',
    'engineVersion',
    'instanceType',
    'allocatedStorageGiB',
    'multiAz',
    'backupRetentionDays',
    'deletionProtection',
    'finalSnapshot',
    'databaseName',
    'secretRotationDays',
  ]);
  const defaults = DATABASE_DEFAULTS[name];
  // required, so that a block written without it is not silently ignored.
  if (raw.enabled === undefined) v.problem(`${path}.enabled: missing; allowed: true, false`);
  const enabled = v.boolean(raw, 'enabled', false, path);

  const engine = v.oneOf(raw, 'engine', DATABASE_ENGINES, databaseDefaults.engine, path);
  const versions = databaseEngineVersions(engine);
  const versionText = v.string(
    raw,
    'engineVersion',
    /^\d+(\.\d+){0,2}$/,
    `a ${engine} version such as ${databaseDefaults.engineVersion[engine]}`,
    path,
    databaseDefaults.engineVersion[engine],
  );
  let engineVersion = versions.find((version) => version.full === versionText);
  if (engineVersion === undefined) {
    const newest = versions[versions.length - 1].full;
    v.problem(
      `${path}.engineVersion: "${versionText}" is not a ${engine} version berth knows; allowed for ${engine}: a major version (${DATABASE_MAJOR_VERSIONS[engine].join(', ')}) or a full version of one, such as ${newest}`,
    );
    engineVersion = versions[0];
  }

  const instanceTypeText = v.string(raw, 'instanceType', /^.*$/, 'an RDS instance class', path, defaults.instanceType);
  const instanceType = instanceTypeText.replace(/^db\./, '');
  v.report(databaseClassProblem(`${path}.instanceType`, instanceTypeText, engine));

  const allocatedStorageGiB = v.integer(
    raw,
    'allocatedStorageGiB',
    databaseDefaults.allocatedStorageGiB,
    DATABASE_MINIMUM_STORAGE_GIB,
    DATABASE_MAXIMUM_STORAGE_GIB,
    path,
  );
  const multiAz = v.boolean(raw, 'multiAz', defaults.multiAz, path);
  const backupRetentionDays = v.integer(raw, 'backupRetentionDays', defaults.backupRetentionDays, 1, 35, path);
  const deletionProtection = v.boolean(raw, 'deletionProtection', defaults.deletionProtection, path);
  const finalSnapshot = v.boolean(raw, 'finalSnapshot', defaults.finalSnapshot, path);
  const databaseName = v.string(
    raw,
    'databaseName',
    DATABASE_NAME,
    'a letter, then up to 62 letters, digits and underscores',
    path,
    context.appName.replace(/-/g, '_'),
  );
  const secretRotationDays = v.integer(raw, 'secretRotationDays', databaseDefaults.secretRotationDays, 1, 365, path);

  if (enabled && context.vpc.kind === 'imported' && context.vpc.privateSubnetIds.length === 0) {
    v.problem(
      `${path}.enabled: a database needs private subnets, and the imported VPC has no vpc.privateSubnetIds; allowed: give vpc.privateSubnetIds (one private subnet per zone), or leave the database disabled`,
    );
  }
  if (enabled && context.vpc.kind === 'new' && context.vpc.instanceSubnets === 'public') {
    v.problem(
      `${path}.enabled: a database needs private subnets, and vpc.instanceSubnets "public" creates none; allowed: set vpc.instanceSubnets to "private", or leave the database disabled`,
    );
  }
  if (!enabled) return undefined;
  return {
    engine,
    engineVersion,
    instanceType,
    allocatedStorageGiB,
    multiAz,
    backupRetentionDays,
    deletionProtection,
    finalSnapshot,
    databaseName,
    secretRotationDays,
  };
}

/** The delivery branch when config names none: the branch the systems berth grew from deliver from. */
export const DEFAULT_DELIVERY_BRANCH = 'master';

/**
 * A branch name as `git check-ref-format --branch` accepts it (git-check-ref-format(1)), less the full-ref
 * form: the OIDC trust names `refs/heads/<branch>` itself. Git's own rules also keep out the `*` and `?`
 * that IAM's StringLike would read as wildcards.
 */
const GIT_BRANCH =
  /^(?!-)(?!refs\/)(?!@$)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)(?!\.)(?!.*\/\.)(?!.*\.lock(?:\/|$))(?!.*[./]$)[^\p{Cc} ~^:?*[\\]{1,255}$/u;

/** A release tag as GitHub releases name them and `berth promote` accepts them. */
export const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/([0-9]|[12]\d|3[0-2])$/;
const SECRET_ARN =
  /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;

/** Flags a health check whose timeout does not end before the next probe; the target group's and the container's share this rule. */
function checkTimeoutUnderInterval(
  v: Validator,
  check: { readonly timeoutSeconds: number; readonly intervalSeconds: number },
  path: string,
): void {
  if (check.timeoutSeconds >= check.intervalSeconds) {
    v.problem(
      `${path}.timeoutSeconds: ${check.timeoutSeconds} is not less than intervalSeconds ${check.intervalSeconds}; allowed: a timeout shorter than the interval`,
    );
  }
}

function parseTargetHealthCheck(v: Validator, value: Json | undefined, path: string): TargetHealthCheckConfig {
  const raw = v.optionalSection(value, path, ['path', 'intervalSeconds', 'timeoutSeconds', 'healthyThreshold', 'unhealthyThreshold']);
  const d = targetHealthCheckDefaults;
  const check: TargetHealthCheckConfig = {
    path: v.string(raw, 'path', /^\/[A-Za-z0-9/_.~%-]{0,1023}$/, 'an HTTP path starting with / such as /health', path, d.path),
    intervalSeconds: v.integer(raw, 'intervalSeconds', d.intervalSeconds, 5, 300, path),
    timeoutSeconds: v.integer(raw, 'timeoutSeconds', d.timeoutSeconds, 2, 120, path),
    healthyThreshold: v.integer(raw, 'healthyThreshold', d.healthyThreshold, 2, 10, path),
    unhealthyThreshold: v.integer(raw, 'unhealthyThreshold', d.unhealthyThreshold, 2, 10, path),
  };
  checkTimeoutUnderInterval(v, check, path);
  return check;
}

function parseContainerHealthCheck(
  v: Validator,
  value: Json | undefined,
  path: string,
  defaultCommand: string,
): ContainerHealthCheckConfig {
  const raw = v.optionalSection(value, path, ['command', 'intervalSeconds', 'timeoutSeconds', 'retries', 'startPeriodSeconds']);
  const d = containerDefaults.healthCheck;
  // the ranges are those ECS accepts for a container health check.
  const check: ContainerHealthCheckConfig = {
    command: v.string(
      raw,
      'command',
      /^\S[\s\S]{0,1023}$/,
      'a shell command that exits 0 when the application is healthy',
      path,
      defaultCommand,
    ),
    intervalSeconds: v.integer(raw, 'intervalSeconds', d.intervalSeconds, 5, 300, path),
    timeoutSeconds: v.integer(raw, 'timeoutSeconds', d.timeoutSeconds, 2, 60, path),
    retries: v.integer(raw, 'retries', d.retries, 1, 10, path),
    startPeriodSeconds: v.integer(raw, 'startPeriodSeconds', d.startPeriodSeconds, 0, 300, path),
  };
  checkTimeoutUnderInterval(v, check, path);
  return check;
}

/** Collects problems while it reads fields, and returns a usable placeholder for each bad one. */
class Validator {
  private readonly problems: string[] = [];

  problem(message: string): void {
    this.problems.push(message);
  }

  /** Records the problem a check returned, if any. */
  report(problem: string | undefined): void {
    if (problem !== undefined) this.problems.push(problem);
  }

  /** Runs `read` and tells whether it found no problem. */
  unchanged(read: () => unknown): boolean {
    const before = this.problems.length;
    read();
    return this.problems.length === before;
  }

  throwIfAny(source: string): void {
    if (this.problems.length > 0) throw new ConfigError(source, this.problems);
  }

  object(value: Json | unknown, path: string): JsonObject {
    if (value === undefined) {
      this.problem(`${path}: missing; allowed: a JSON object`);
      return {};
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem(`${path}: ${JSON.stringify(value)} is not an object; allowed: a JSON object`);
      return {};
    }
    return value as JsonObject;
  }

  /** A section that may be left out (its fields then take their defaults) and holds only `allowed` fields. */
  optionalSection(value: Json | undefined, path: string, allowed: readonly string[]): JsonObject {
    const section = value === undefined ? {} : this.object(value, path);
    this.onlyKeys(section, path, allowed);
    return section;
  }

  onlyKeys(obj: JsonObject, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) this.problem(`${path}.${key}: unknown field; allowed fields are: ${allowed.join(', ')}`);
    }
  }

  string(obj: JsonObject, key: string, pattern: RegExp, what: string, parent?: string, fallback?: string): string {
    const path = parent ? `${parent}.${key}` : key;
    const value = obj[key];
    if (value === undefined && fallback !== undefined) return fallback;
    if (value === undefined) {
      this.problem(`${path}: missing; allowed: ${what}`);
      return fallback ?? '';
    }
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.problem(`${path}: ${JSON.stringify(value)} is not valid; allowed: ${what}`);
      return fallback ?? '';
    }
    return value;
  }

  stringList(obj: JsonObject, key: string, pattern: RegExp, what: string, parent: string): string[] {
    const value = obj[key];
    const path = `${parent}.${key}`;
    if (!Array.isArray(value)) {
      this.problem(`${path}: ${value === undefined ? 'missing' : `${JSON.stringify(value)} is not a list`}; allowed: a list of ${what}`);
      return [];
    }
    const bad = value.filter((item) => typeof item !== 'string' || !pattern.test(item));
    if (bad.length > 0) this.problem(`${path}: ${bad.map((b) => JSON.stringify(b)).join(', ')} not valid; allowed: ${what}`);
    return value.filter((item): item is string => typeof item === 'string');
  }

  integer(obj: JsonObject, key: string, fallback: number, min: number, max: number, parent: string): number {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(`${parent}.${key}: ${JSON.stringify(value)} is not valid; allowed: a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  boolean(obj: JsonObject, key: string, fallback: boolean, parent: string): boolean {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(`${parent}.${key}: ${JSON.stringify(value)} is not valid; allowed: true, false`);
      return fallback;
    }
    return value;
  }

  stringMap(
    obj: JsonObject,
    key: string,
    keyPattern: RegExp,
    keyWhat: string,
    valuePattern: RegExp,
    valueWhat: string,
    parent: string,
  ): Record<string, string> {
    const value = obj[key];
    const path = `${parent}.${key}`;
    if (value === undefined) return {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem(`${path}: ${JSON.stringify(value)} is not an object; allowed: an object of ${keyWhat} to ${valueWhat}`);
      return {};
    }
    const result: Record<string, string> = {};
    for (const [name, item] of Object.entries(value)) {
      if (!keyPattern.test(name)) {
        this.problem(`${path}.${name}: not a valid name; allowed: ${keyWhat}`);
      } else if (typeof item !== 'string' || !valuePattern.test(item)) {
        this.problem(`${path}.${name}: ${JSON.stringify(item)} is not valid; allowed: ${valueWhat}`);
      } else {
        result[name] = item;
      }
    }
    return result;
  }

  oneOf<T extends string>(obj: JsonObject, key: string, allowed: readonly T[], fallback: T, parent: string): T {
    const value = obj[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.problem(`${parent}.${key}: ${JSON.stringify(value)} is not valid; allowed: ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }
}
