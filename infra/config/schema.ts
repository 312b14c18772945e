/**
 * The berth config, defined once: every field with its type, limits, default and meaning. The JSON
 * Schema (`config/berth.schema.json`, `npm run schema`), the raw and resolved TypeScript types, the
 * validator and the README's field tables all come from here. Nothing in this file may import
 * aws-cdk-lib: the CLI reads the config through it.
 */
import type { Static } from '@sinclair/typebox';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../environments';
import { appNameProblem } from './names';
import { APP_NAME, REGION } from './patterns';
import { notificationsSchema } from './notifications-schema';
import { releaseSchema } from './release-schema';
import { autoScalingSchema } from './scaling-schema';
import { accessSchema } from './access-schema';
import {
  annotate,
  anyText,
  choice,
  condition,
  filled,
  flag,
  integer,
  list,
  map,
  oneOf,
  optional,
  refused,
  root,
  section,
  text,
  withConditions,
  withDefault,
} from './schema-kit';

/** CPU architectures the ECS-optimized Amazon Linux 2023 AMI is published for. */
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** ECS agent image pull behaviours (`ECS_IMAGE_PULL_BEHAVIOR`). */
export const IMAGE_PULL_BEHAVIOURS = ['default', 'always', 'once', 'prefer-cached'] as const;

/** Where the EC2 instances (and the tasks on them) are placed. */
export const INSTANCE_SUBNET_KINDS = ['private', 'public'] as const;

/** Database engines an environment can run. */
export const DATABASE_ENGINES = ['mysql', 'postgres'] as const;

/** The smallest gp3 volume RDS accepts for MySQL and PostgreSQL, in GiB. */
export const DATABASE_MINIMUM_STORAGE_GIB = 20;

/** The largest gp3 volume RDS accepts for MySQL and PostgreSQL, in GiB (64 TiB). */
export const DATABASE_MAXIMUM_STORAGE_GIB = 65536;

/**
 * Major versions berth runs, per engine: MySQL 8 (the systems berth grew from run 8.0, which RDS now
 * bills as Extended Support; 8.4 is the long-term release), and the PostgreSQL majors in RDS standard
 * support.
 */
export const DATABASE_MAJOR_VERSIONS: Readonly<Record<(typeof DATABASE_ENGINES)[number], readonly string[]>> = {
  mysql: ['8.0', '8.4'],
  postgres: ['14', '15', '16', '17', '18'],
};

/** The version a database runs when config names none. */
export const DATABASE_DEFAULT_VERSIONS: Readonly<Record<(typeof DATABASE_ENGINES)[number], string>> = { mysql: '8.4', postgres: '17' };

/**
 * The variables an application container gets when the environment has a database (see
 * infra/constructs/database.ts): the credentials from the database secret, and the secret's ARN.
 */
export const DATABASE_VARIABLE_NAMES = ['DB_HOST', 'DB_PORT', 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_SECRET_ARN'] as const;

/** Most source CIDRs a test rule can hold: an ALB rule allows five condition values, host and header take two. */
export const MAX_TEST_SOURCE_CIDRS = 3;

/** A release tag as GitHub releases name them and `berth promote` accepts them. */
export const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/** An availability zone name: a region and a letter. */
export const AVAILABILITY_ZONE = /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}[a-z]$/;

/**
 * A Route 53 hosted zone id: `Z` and upper-case letters and digits. The API allows at most 32 characters
 * (Route 53 API reference, HostedZone.Id); ids in use are 10 to 32 long (14 was usual before 2019, 21 to
 * 22 since), so `Z1` is refused.
 */
export const HOSTED_ZONE_ID = /^Z[A-Z0-9]{9,31}$/;

/** The delivery branch when config names none: the branch the systems berth grew from deliver from. */
export const DEFAULT_DELIVERY_BRANCH = 'master';

/**
 * A branch name as `git check-ref-format --branch` accepts it (git-check-ref-format(1)): no component
 * starting with `.` or ending with `.lock`, no `..`, `@{`, `//`, control characters, space, `~ ^ : ? * [ \`;
 * not starting with `-` or `/`, not ending with `/` or `.`, not `HEAD`. Less the full-ref form (`refs/…`), since the
 * OIDC trust names `refs/heads/<branch>` itself, and `@` alone. Git's own rules also keep out the `*` and `?`
 * that IAM's StringLike would read as wildcards.
 */
export const GIT_BRANCH =
  /^(?!-)(?!\/)(?!refs\/)(?!@$)(?!HEAD$)(?!.*\.\.)(?!.*@\{)(?!.*\/\/)(?!\.)(?!.*\/\.)(?!.*\.lock(?:\/|$))(?!.*[./]$)[^\p{Cc} ~^:?*[\\]{1,255}$/u;

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/;
const SUBDOMAIN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}\\/([0-9]|[12]\\d|3[0-2])$`);
const VPC_CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}\\/(1[6-9]|2[0-4])$`);
const ENV_VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,254}$/;
const SECRET_ARN =
  /^arn:aws[a-z-]*:(secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}|ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9/_.-]+)$/;
const DATABASE_NAME = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** What is wrong with an IPv4 CIDR the pattern refuses, in words. */
function cidrProblem(value: unknown): string | undefined {
  const match = typeof value === 'string' ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value) : null;
  if (!match) return `${JSON.stringify(value)} is not an IPv4 CIDR`;
  if (match.slice(1, 5).some((octet) => Number(octet) > 255)) return `"${value}" has an octet above 255`;
  const prefix = Number(match[5]);
  if (prefix < 16 || prefix > 24) return `"${value}" has prefix /${prefix}, outside what a VPC allows`;
  return undefined;
}

/** A VPC CIDR whose address has bits set beyond its prefix (the JSON Schema cannot tell). */
function cidrHostBits(value: unknown): string | undefined {
  const [address, prefix] = String(value).split('/');
  const number = address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return number % 2 ** (32 - Number(prefix)) === 0 ? undefined : `"${value}" has host bits set for a /${prefix}`;
}

/** The largest Auto Scaling group size when config names none (and `minCapacity` is not larger). */
export const MAX_CAPACITY: Readonly<Record<EnvironmentName, number>> = { pre: 2, live: 4 };

/** NAT gateways of a new VPC when config names none: one for private instances, none for public ones. */
export const defaultNatGateways = (instanceSubnets: (typeof INSTANCE_SUBNET_KINDS)[number]): number =>
  instanceSubnets === 'private' ? 1 : 0;

/** The container health check when config names none: the load balancer's health path on the container port. */
export const defaultHealthCheckCommand = (port: number, path: string): string => `curl -fsS http://localhost:${port}${path} || exit 1`;

/** The database name when config names none: the app name, which MySQL and PostgreSQL take with `_` for `-`. */
export const defaultDatabaseName = (appName: string): string => appName.replace(/-/g, '_');

const subnetIds = (what: string, defaultText?: string) =>
  list(text(/^subnet-[0-9a-f]{8,17}$/, { description: 'a subnet id', allowed: 'subnet ids such as subnet-0123456789abcdef0' }), {
    description: what,
    ...(defaultText ? { defaultText } : {}),
  });

const availabilityZones = list(
  text(AVAILABILITY_ZONE, { description: 'an availability zone name', allowed: 'availability zone names such as eu-west-1a' }),
  {
    description:
      'availability zones to spread the subnets over, in this order; at least two, because a load balancer needs two. Checked against the zones EC2 lists for the region',
    minItems: 2,
    uniqueItems: true,
    allowed: 'at least 2 distinct zones of the region, such as eu-west-1a and eu-west-1b',
    explain: (zones) => `${JSON.stringify(zones)} must name at least 2 distinct zones, because a load balancer needs two`,
  },
);

const instanceSubnets = withDefault(
  choice(INSTANCE_SUBNET_KINDS, {
    description:
      '`private` (instances behind NAT) or `public` (no NAT gateway: the low-cost option, ~USD 33/month less; instances get public addresses but still accept no inbound traffic, and tasks, which have no public IP, can reach only what the VPC reaches without NAT)',
  }),
  'private',
);

const publicInstances = { properties: { instanceSubnets: { const: 'public' } }, required: ['instanceSubnets'] };

/** A VPC the shared stack creates. */
export const newVpcSchema = withConditions(
  section(
    {
      cidr: annotate(
        text(VPC_CIDR, {
          description: 'IPv4 CIDR of a new VPC, a /16 to /24; CDK splits it evenly into a public (and a private) subnet per zone',
          allowed: 'an IPv4 CIDR block from /16 to /24 such as 10.20.0.0/16',
          explain: cidrProblem,
        }),
        { refine: cidrHostBits },
      ),
      availabilityZones,
      natGateways: optional(
        integer(0, 6, {
          description: 'NAT gateways of a new VPC, one per zone at most (each costs ~USD 33/month)',
          defaultText: '1 with private instance subnets, 0 with public',
        }),
      ),
      instanceSubnets,
    },
    { description: 'a new VPC, which the shared stack creates' },
  ),
  [
    condition(
      { if: publicInstances, then: { properties: { natGateways: { const: 0 } } } },
      {
        field: 'natGateways',
        explain: (vpc) => `${String(vpc.natGateways)} NAT gateways would go unused with vpc.instanceSubnets "public"`,
        allowed: '0, or set instanceSubnets to "private"',
      },
    ),
    condition(
      { if: publicInstances, else: { properties: { natGateways: { minimum: 1 } } } },
      {
        field: 'natGateways',
        explain: () => '0 leaves private instances without a route to ECS and ECR',
        allowed: '1 or more, or set vpc.instanceSubnets to "public"',
      },
    ),
  ],
);

/** An existing VPC, imported by ids without any lookup. */
export const importedVpcSchema = withConditions(
  section(
    {
      vpcId: text(/^vpc-[0-9a-f]{8,17}$/, {
        description: 'instead of a new VPC, an existing one (no lookups: give its subnets below)',
        allowed: 'a VPC id such as vpc-0123456789abcdef0',
      }),
      availabilityZones,
      publicSubnetIds: subnetIds('public subnets of the imported VPC for the load balancers, one per zone in the zones’ order'),
      privateSubnetIds: optional(
        subnetIds(
          'private subnets of the imported VPC with a route to NAT, one per zone in the zones’ order, for instances, tasks and the database',
          'none with public instance subnets; required with private ones',
        ),
      ),
      instanceSubnets,
    },
    { description: 'an existing VPC, imported by ids' },
  ),
  [
    condition(
      { if: publicInstances, else: { required: ['privateSubnetIds'], properties: { privateSubnetIds: { minItems: 1 } } } },
      {
        field: 'privateSubnetIds',
        explain: () => 'required when vpc.instanceSubnets is "private"',
        allowed: 'one private subnet id per zone, or set instanceSubnets to "public"',
      },
    ),
  ],
);

const targetHealthCheckSchema = section(
  {
    path: withDefault(
      text(/^\/[A-Za-z0-9/_.~%-]{0,1023}$/, {
        description: 'the path the load balancer checks on each task; any 2xx is healthy',
        allowed: 'an HTTP path starting with / such as /health',
      }),
      '/health',
    ),
    // tuned for a fast, safe cut-over: a new task takes traffic after 2 x 10 s instead of AWS's 5 x 30 s.
    intervalSeconds: withDefault(integer(5, 300, { description: 'how often the load balancer checks a task' }), 10),
    timeoutSeconds: withDefault(integer(2, 120, { description: 'how long a check may take; less than the interval' }), 5),
    healthyThreshold: withDefault(integer(2, 10, { description: 'passes in a row before a new task takes traffic' }), 2),
    unhealthyThreshold: withDefault(integer(2, 10, { description: 'failures in a row before a task stops getting traffic' }), 3),
  },
  { description: 'how the load balancer checks each task in the blue and green target groups', table: 'traffic' },
);

// the ranges are those ECS accepts for a container health check.
const containerHealthCheckSchema = section(
  {
    command: optional(
      text(/^\S[\s\S]{0,1023}$/, {
        description: 'the container’s own health check, a shell command that exits 0 when the application is healthy',
        allowed: 'a shell command that exits 0 when the application is healthy',
        defaultText: '`curl -fsS http://localhost:<port><healthCheck.path> || exit 1`',
      }),
    ),
    intervalSeconds: withDefault(integer(5, 300, { description: 'seconds between two container checks' }), 10),
    timeoutSeconds: withDefault(integer(2, 60, { description: 'seconds a container check may take; less than the interval' }), 5),
    retries: withDefault(integer(1, 10, { description: 'failed checks in a row before the container counts as unhealthy' }), 3),
    startPeriodSeconds: withDefault(
      integer(0, 300, {
        description:
          'how long the application may take to start: failed checks do not count, and ECS ignores the load balancer’s verdict (grace period)',
      }),
      30,
    ),
  },
  { description: 'the health check ECS runs inside the application container', table: 'traffic' },
);

const variableName = text(ENV_VAR_NAME, { description: 'a variable name', allowed: 'variable names of letters, digits and underscores' });

const containerSchema = section(
  {
    cpu: withDefault(integer(128, 16384, { description: 'CPU units reserved for the app container (1024 = one vCPU)' }), 256),
    memoryMiB: withDefault(integer(128, 120000, { description: 'hard memory limit of the app container, in MiB' }), 512),
    port: withDefault(integer(1, 65535, { description: 'port the application listens on inside the container' }), 8080),
    stopTimeoutSeconds: withDefault(integer(2, 120, { description: 'seconds ECS waits after SIGTERM before it kills the container' }), 30),
    healthCheck: filled(containerHealthCheckSchema),
    environment: withDefault(
      map(variableName, text(/^[\s\S]{0,4096}$/, { description: 'a value', allowed: 'strings of up to 4096 characters' }), {
        description: 'plain environment variables, `NAME: value`; nothing secret (they are readable in the task definition)',
        table: 'traffic',
      }),
      {},
    ),
    secrets: withDefault(
      map(
        variableName,
        text(SECRET_ARN, {
          description: 'a secret ARN',
          allowed:
            'complete Secrets Manager secret ARNs (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>) or SSM parameter ARNs (arn:aws:ssm:<region>:<account>:parameter/<name>)',
        }),
        {
          description:
            'secrets as environment variables, `NAME: <ARN>` of a Secrets Manager secret (complete, with its 6-character suffix) or an SSM SecureString parameter; the execution role may read exactly these',
          table: 'traffic',
        },
      ),
      {},
    ),
  },
  { description: 'the application container, as every task of the environment runs it' },
);

const testRuleSchema = section(
  {
    headerName: withDefault(
      text(/^[A-Za-z0-9-]{1,40}$/, {
        description: 'the request header that reaches green before the shift',
        allowed: 'an HTTP header name of letters, digits and hyphens, up to 40 characters',
      }),
      'x-berth-test',
    ),
    headerValue: withDefault(
      text(/^[A-Za-z0-9._~-]{1,128}$/, {
        description: 'the value that header must have',
        allowed: 'letters, digits and . _ ~ - (no wildcards), up to 128 characters',
      }),
      'green',
    ),
    sourceCidrs: withDefault(
      list(text(IPV4_CIDR, { description: 'an IPv4 CIDR', allowed: 'IPv4 CIDRs such as 203.0.113.0/24' }), {
        description: `limit the test rule to up to ${MAX_TEST_SOURCE_CIDRS} IPv4 CIDRs; other sources get production`,
        maxItems: MAX_TEST_SOURCE_CIDRS,
        allowed: `at most ${MAX_TEST_SOURCE_CIDRS}, because an ALB rule holds five condition values and host and header take two`,
        explain: (cidrs) => `${(cidrs as unknown[]).length} CIDRs`,
        defaultText: 'any source',
      }),
      [],
    ),
  },
  { description: 'the listener rule that reaches the green tasks of a release before production traffic shifts', table: 'traffic' },
);

const alarmsSchema = section(
  {
    target5xxPerMinute: withDefault(
      integer(1, 100000, { description: '5xx answers a minute from the application (blue and green together) that roll a release back' }),
      10,
    ),
    p99LatencyMs: withDefault(integer(10, 60000, { description: 'p99 response time, in milliseconds, that rolls a release back' }), 2000),
    evaluationMinutes: withDefault(integer(1, 30, { description: 'bad minutes in a row before an alarm fires' }), 2),
  },
  { description: 'the CloudWatch alarms that roll a release back (one-minute periods)', table: 'traffic' },
);

/**
 * The database block of one environment; its defaults differ per environment, live keeping more and
 * being harder to lose.
 * @param name pre or live
 */
export function databaseSchema(name: EnvironmentName) {
  const per = <T>(values: Readonly<Record<EnvironmentName, T>>) => values[name];
  return section(
    {
      // required, so that a block written without it is not silently ignored.
      enabled: flag({ description: 'the switch; required once the block is there, so a half-written block is never ignored' }),
      engine: withDefault(choice(DATABASE_ENGINES, { description: '`mysql` or `postgres`' }), 'mysql'),
      engineVersion: optional(
        text(/^\d+(\.\d+){0,2}$/, {
          description:
            'a major version (`8.0`, `8.4`; `14` … `18`), and RDS applies minor upgrades itself; or a full version aws-cdk-lib knows, e.g. `8.4.7`, `16.13`. MySQL 8.0 is past RDS standard support (RDS bills Extended Support): prefer 8.4',
          allowed: 'a version such as 8.4 or 17',
          defaultText: `\`${DATABASE_DEFAULT_VERSIONS.mysql}\` / \`${DATABASE_DEFAULT_VERSIONS.postgres}\``,
        }),
      ),
      instanceType: withDefault(
        // the shape only: the table check (infra/capacity-checks.ts) names the classes the engine offers.
        text(/^[a-z0-9][a-z0-9.-]*$/, {
          description: 'RDS instance class, with or without `db.`; one berth’s table lists for the engine (see "Instance type tables")',
          allowed: 'an RDS instance class such as t4g.micro or db.m7g.large',
        }),
        per({ pre: 't4g.micro', live: 't4g.small' }),
      ),
      allocatedStorageGiB: withDefault(
        integer(DATABASE_MINIMUM_STORAGE_GIB, DATABASE_MAXIMUM_STORAGE_GIB, {
          description: `encrypted gp3 storage, ${DATABASE_MINIMUM_STORAGE_GIB} (the RDS minimum) to ${DATABASE_MAXIMUM_STORAGE_GIB} GiB`,
        }),
        DATABASE_MINIMUM_STORAGE_GIB,
      ),
      multiAz: withDefault(flag({ description: 'a standby in a second zone that RDS fails over to' }), per({ pre: false, live: true })),
      backupRetentionDays: withDefault(
        integer(1, 35, { description: 'automated backups and point-in-time restore, 1 to 35 days' }),
        per({ pre: 7, live: 30 }),
      ),
      // pre can be torn down with `cdk destroy`; the final snapshot still keeps its data.
      deletionProtection: withDefault(
        flag({ description: 'RDS refuses to delete the database, CloudFormation included' }),
        per({ pre: false, live: true }),
      ),
      finalSnapshot: withDefault(
        flag({ description: 'a snapshot is taken when CloudFormation deletes or replaces the database (without it the data is gone)' }),
        true,
      ),
      databaseName: optional(
        text(DATABASE_NAME, {
          description: 'the database created in the instance',
          allowed: 'a letter, then up to 62 letters, digits and underscores',
          defaultText: 'app name, `-` → `_`',
        }),
      ),
      secretRotationDays: withDefault(integer(1, 365, { description: 'days between rotations of the master password' }), 30),
    },
    { description: 'the managed database (RDS, in private subnets); off until `enabled` is true', table: 'database' },
  );
}

const IMAGE_PULL_DESCRIPTION =
  'ECS agent pull behaviour (`default`, `always`, `once`, `prefer-cached`); pre must re-pull `master` (`default` or `always`); live runs immutable tags (`prefer-cached`)';

const databaseEnabled = {
  properties: { database: { properties: { enabled: { const: true } }, required: ['enabled'] } },
  required: ['database'],
};

/**
 * Everything that differs between `pre` and `live`: one definition, with each environment's defaults.
 * @param name pre or live
 */
export function environmentSchema(name: EnvironmentName) {
  const per = <T>(values: Readonly<Record<EnvironmentName, T>>) => values[name];
  const environment = section(
    {
      subdomain: withDefault(
        text(SUBDOMAIN, { description: 'the environment’s name under `domain.name`', allowed: 'a DNS label such as be' }),
        per({ pre: 'pre-be', live: 'be' }),
      ),
      instanceType: withDefault(
        text(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, {
          description: 'EC2 instance type, one in berth’s instance type table (see "Instance type tables"); it must match `architecture`',
          allowed: '<family>.<size> such as t3.small or t4g.small',
          explain: (value) => `${JSON.stringify(value)} is not an EC2 instance type`,
        }),
        't3.small',
      ),
      architecture: withDefault(
        choice(ARCHITECTURES, { description: '`x86_64` or `arm64` (Graviton: `t4g`, `m7g`, …); it must match the instance type' }),
        'x86_64',
      ),
      eniTrunking: withDefault(
        flag({
          description:
            'declares that ECS ENI trunking (`awsvpcTrunking`) is on for the account and region, so each instance runs its trunked task limit (see "Network mode: awsvpc"); only for a type ECS trunks. berth does not turn it on',
        }),
        false,
      ),
      amiId: optional(
        text(/^ami-[0-9a-f]{8,17}$/, {
          description:
            'hold instances on this AMI; without it the newest ECS-optimized AL2023 AMI is read at every deploy, and a new AMI replaces the instances',
          allowed: 'an AMI id such as ami-0123456789abcdef0',
          defaultText: 'newest',
        }),
      ),
      minCapacity: withDefault(integer(0, 100, { description: 'smallest size of the Auto Scaling group' }), 1),
      maxCapacity: optional(
        integer(1, 100, {
          description: 'largest size of the Auto Scaling group; a release needs room for blue and green',
          defaultText: `${MAX_CAPACITY[name]}, or \`minCapacity\` if larger`,
        }),
      ),
      desiredCapacity: optional(
        integer(0, 100, {
          description: 'size the group is reset to at every deploy; leave it out to let ECS managed scaling decide',
          defaultText: 'unset',
        }),
      ),
      rootVolumeGiB: withDefault(integer(30, 16384, { description: 'root and Docker volume; the ECS AL2023 AMI needs at least 30' }), 30),
      imagePullBehaviour: withDefault(
        // pre runs the mutable `master` tag: the agent must look for a newer image at every task start; live
        // runs immutable `v*` tags only, so a cached image is always the right one.
        name === 'pre'
          ? choice(['default', 'always'], {
              description: IMAGE_PULL_DESCRIPTION,
              explain: (value) =>
                value === 'once' || value === 'prefer-cached'
                  ? `"${value}" would keep running a cached \`master\` after a new one is pushed`
                  : undefined,
              allowed: 'default, always (pre re-pulls `master`)',
            })
          : choice(IMAGE_PULL_BEHAVIOURS, { description: IMAGE_PULL_DESCRIPTION }),
        per({ pre: 'default', live: 'prefer-cached' } as const),
      ),
      container: filled(annotate(containerSchema, { table: 'environment' })),
      desiredTaskCount: withDefault(
        integer(0, 100, {
          description: 'tasks the service runs; with `autoScaling`, the tasks a new service starts with, from its `minTasks` to `maxTasks`',
        }),
        per({ pre: 1, live: 2 }),
      ),
      autoScaling: optional(autoScalingSchema),
      healthCheck: filled(targetHealthCheckSchema),
      // pre is redeployed on every merge: short drains and a short bake keep the feedback loop fast; live
      // serves customers: let slower requests finish, and keep blue ready to take traffic back for longer.
      // both far below AWS's 300 s drain: every release drains blue once, so this adds to each release.
      deregistrationDelaySeconds: withDefault(
        integer(0, 3600, {
          description: 'how long a leaving task may finish requests in flight (AWS’s default is 300)',
          table: 'traffic',
        }),
        per({ pre: 10, live: 30 }),
      ),
      bakeMinutes: withDefault(
        integer(0, 1440, {
          description: 'how long blue stays ready to take traffic back after the shift, with the alarms armed',
          table: 'traffic',
        }),
        per({ pre: 2, live: 10 }),
      ),
      release: filled(releaseSchema(name)),
      access: filled(accessSchema(name)),
      testRule: filled(testRuleSchema),
      alarms: filled(alarmsSchema),
      dualStack: withDefault(
        flag({
          description:
            'the load balancer also listens on IPv6 and gets an AAAA record; needs an imported VPC whose public subnets have IPv6',
          table: 'traffic',
        }),
        false,
      ),
      deletionProtection: withDefault(
        flag({ description: 'protect the load balancer from deletion', table: 'traffic' }),
        per({ pre: false, live: true }),
      ),
      accessLogRetentionDays: withDefault(
        integer(1, 3650, { description: 'days the load balancer’s access logs are kept', table: 'traffic' }),
        per({ pre: 30, live: 365 }),
      ),
      initialImageTag:
        name === 'live'
          ? withDefault(
              text(RELEASE_TAG, {
                description:
                  'the release `/berth/<app>/live/image-tag` holds when the shared stack creates it; that image must be in the repository before live’s first deploy. Once the parameter exists only the CLI writes it: changing this field later changes nothing (not even on a new shared stack, which adopts the parameter)',
                allowed: 'a release tag vMAJOR.MINOR.PATCH such as v1.0.0',
                table: 'traffic',
              }),
              'v1.0.0',
            )
          : optional(
              refused({
                description: 'live only: pre always runs the `master` image',
                why: 'pre always runs the `master` image',
                allowed: 'only environments.live.initialImageTag',
              }),
            ),
      notifications: optional(notificationsSchema),
      database: optional(databaseSchema(name)),
    },
    { description: `the ${name} environment`, table: 'environment' },
  );
  return withConditions(environment, [
    condition(
      {
        if: databaseEnabled,
        then: {
          properties: {
            container: {
              properties: {
                environment: { propertyNames: { not: { enum: [...DATABASE_VARIABLE_NAMES] } } },
                secrets: { propertyNames: { not: { enum: [...DATABASE_VARIABLE_NAMES] } } },
              },
            },
          },
        },
      },
      {
        field: 'container',
        explain: (value) => {
          const container = (value.container ?? {}) as { environment?: object; secrets?: object };
          const taken = [...Object.keys(container.environment ?? {}), ...Object.keys(container.secrets ?? {})].filter((key) =>
            (DATABASE_VARIABLE_NAMES as readonly string[]).includes(key),
          );
          return `${taken.join(', ')} would hide the database settings berth injects`;
        },
        allowed: `other names (${DATABASE_VARIABLE_NAMES.join(', ')} come from the database)`,
      },
    ),
  ]);
}

/** The environment fields a rule for one environment reads, by path under `environments.<env>`. */
const inEnvironment = (name: EnvironmentName, properties: object) => ({
  properties: { environments: { properties: { [name]: properties } } },
});

/** The whole config file. */
export const berthConfigSchema = withConditions(
  root(
    {
      $schema: optional(
        anyText({ description: 'the JSON Schema of this file, for editors: `./berth.schema.json` next to `config/example.json`' }),
      ),
      appName: text(APP_NAME, {
        description:
          'prefixes stack names (`<app>-pre`) and SSM paths (`/berth/<app>/…`), and names the ECR repository and task-definition families',
        allowed: '3 to 20 lower-case letters, digits and hyphens, starting with a letter, without two hyphens in a row',
        explain: (value) => appNameProblem(value),
      }),
      account: text(/^\d{12}$/, { description: 'the AWS account every stack goes to', allowed: 'a 12-digit AWS account id' }),
      region: text(REGION, {
        description: 'the AWS region every stack goes to; one that aws-cdk-lib knows',
        allowed: 'an AWS region such as eu-west-1',
      }),
      domain: section(
        {
          name: text(HOSTNAME, {
            description: 'the public Route 53 zone the subdomains live in: live serves `be.<name>`, pre `pre-be.<name>`',
            allowed: 'a DNS name such as example.com',
          }),
          hostedZoneId: text(HOSTED_ZONE_ID, {
            description: 'the id of that public hosted zone',
            allowed: 'a Route 53 hosted zone id: Z and 9 to 31 upper-case letters or digits, such as Z0123456789ABCDEFGHIJ',
            explain: (value) =>
              typeof value === 'string' && value.startsWith('/hostedzone/')
                ? `"${value}" has the /hostedzone/ prefix the AWS CLI prints`
                : undefined,
          }),
        },
        { description: 'the public DNS zone' },
      ),
      vpc: oneOf([newVpcSchema, importedVpcSchema], {
        description: 'the VPC: a new one (`cidr`) or an existing one (`vpcId`)',
        branch: (value) => (value.vpcId === undefined ? 0 : 1),
      }),
      github: optional(
        section(
          {
            repository: text(/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/, {
              description:
                '`owner/name` of the application repository: releases `berth promote` checks, workflows the delivery roles trust',
              allowed: 'owner/name of a GitHub repository',
            }),
            branch: withDefault(
              text(GIT_BRANCH, {
                description:
                  'the delivery branch of the application repository: its pushes build the image pre runs and deploy pre, and the OIDC trust of both delivery roles names it. Pre’s image tag stays `master` whatever the branch',
                allowed:
                  'a git branch name such as main or release/2.x (no spaces or ~ ^ : ? * [ \\, no "..", "@{" or "//", no part that starts with "." or ends with ".lock", not starting with "-" or "refs/")',
              }),
              DEFAULT_DELIVERY_BRANCH,
            ),
            oidcProviderArn: optional(
              text(/^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/, {
                description:
                  'the account’s existing GitHub Actions OIDC provider, when another stack already created it (an account holds one per URL)',
                allowed:
                  'the ARN of the token.actions.githubusercontent.com OIDC provider, arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
                defaultText: 'created',
              }),
            ),
          },
          { description: 'the application repository on GitHub; without it no release check in `berth promote` and no delivery roles' },
        ),
      ),
      environments: section(
        { pre: environmentSchema('pre'), live: environmentSchema('live') },
        {
          description: 'the settings of each environment',
          noun: 'environment',
        },
      ),
    },
    {
      $schema: 'http://json-schema.org/draft-07/schema#',
      $id: 'https://berth.invalid/berth.schema.json',
      title: 'berth config',
      description: 'A berth deployment config (see the README, "Your own config").',
    },
  ),
  ENVIRONMENT_NAMES.flatMap((name) => [
    condition(
      {
        if: { properties: { vpc: { not: { required: ['vpcId'] } } } },
        then: inEnvironment(name, { properties: { dualStack: { const: false } } }),
      },
      {
        field: `environments.${name}.dualStack`,
        explain: () => 'true needs public subnets with IPv6 CIDR blocks, which the VPC berth creates does not have',
        allowed: 'false, or an imported VPC (vpc.vpcId) whose public subnets have IPv6',
      },
    ),
    condition(
      {
        if: { properties: { vpc: { ...publicInstances, not: { required: ['vpcId'] } } }, required: ['vpc'] },
        then: inEnvironment(name, { properties: { database: { properties: { enabled: { const: false } } } } }),
      },
      {
        field: `environments.${name}.database.enabled`,
        explain: () => 'a database needs private subnets, and vpc.instanceSubnets "public" creates none',
        allowed: 'set vpc.instanceSubnets to "private", or leave the database disabled',
      },
    ),
    condition(
      {
        if: {
          properties: {
            vpc: { required: ['vpcId'], not: { required: ['privateSubnetIds'], properties: { privateSubnetIds: { minItems: 1 } } } },
          },
          required: ['vpc'],
        },
        then: inEnvironment(name, { properties: { database: { properties: { enabled: { const: false } } } } }),
      },
      {
        field: `environments.${name}.database.enabled`,
        explain: () => 'a database needs private subnets, and the imported VPC has no vpc.privateSubnetIds',
        allowed: 'give vpc.privateSubnetIds (one private subnet per zone), or leave the database disabled',
      },
    ),
  ]),
);

/** A config file as a user writes it: every field with a default may be left out. */
export type RawBerthConfig = Static<typeof berthConfigSchema>;
