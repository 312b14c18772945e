/**
 * The manifest: the one contract between the CDK stacks and the berth CLI.
 *
 * Each environment stack writes it as JSON to the SSM parameter {@link manifestParameterName}; the CLI
 * reads it, checks it against {@link MANIFEST_SCHEMA} and finds every resource through it. Nothing in
 * this file may import aws-cdk-lib: the CLI bundles it.
 */
import Ajv from 'ajv';
import { APP_NAME, REGION } from './config/patterns';
import { type Duty, DUTIES } from './duties';
import { ENVIRONMENT_NAMES, type EnvironmentName } from './environments';

/**
 * Version of the manifest layout; the CLI refuses manifests of another version. Optional fields added later
 * (`release`, `architecture`) keep it: an older stack's manifest still parses, and the checks that need them
 * say to redeploy.
 */
export const MANIFEST_SCHEMA_VERSION = 1;

/** CPU architectures a manifest can name, as the config's `environments.<env>.architecture` spells them. */
export const MANIFEST_ARCHITECTURES = ['x86_64', 'arm64'] as const;

/** One of {@link MANIFEST_ARCHITECTURES}. */
export type ManifestArchitecture = (typeof MANIFEST_ARCHITECTURES)[number];

/** Environments a manifest can describe. */
export type ManifestEnvironment = EnvironmentName;

/** An ECS cluster, service or other resource the CLI addresses by name and ARN. */
export interface NamedResource {
  /** the resource's name. */
  readonly name: string;
  /** the resource's ARN. */
  readonly arn: string;
}

/** Name of the container in the database client task definition; `berth db-shell` execs into it. */
export const DATABASE_CLIENT_CONTAINER_NAME = 'client';

/** The optional database of an environment. */
export interface ManifestDatabase {
  /** `mysql` or `postgres`. */
  readonly engine: 'mysql' | 'postgres';
  /** host name of the database endpoint. */
  readonly endpoint: string;
  /** port of the database endpoint. */
  readonly port: number;
  /** ARN of the Secrets Manager secret that holds the credentials. */
  readonly secretArn: string;
  /** task-definition family of the one-off database client task (`berth db-shell`). */
  readonly clientTaskDefinitionFamily: string;
  /** security group the client task runs in (admitted by the database). */
  readonly clientSecurityGroupId: string;
}

/** How a release shifts production traffic (ECS `DeploymentConfiguration.Strategy`). */
export type ManifestReleaseStrategy =
  | { readonly type: 'blue-green' }
  | { readonly type: 'canary'; readonly percent: number; readonly bakeMinutes: number }
  | { readonly type: 'linear'; readonly stepPercent: number; readonly stepBakeMinutes: number };

/** One smoke check the CLI runs over HTTPS, with the test header, against the new tasks of a paused release. */
export interface ManifestSmokeCheck {
  /** path on the environment's URL, starting with `/`. */
  readonly path: string;
  /** the HTTP status the check expects. */
  readonly status: number;
  /** a substring the response body must contain. @default - the body is not checked */
  readonly bodyContains?: string;
  /** a response header that must be present; with `value`, a substring its value must contain. @default - no header is checked */
  readonly header?: { readonly name: string; readonly value?: string };
}

/** How the environment releases: its strategy and the gate before production traffic. */
export interface ManifestRelease {
  /** the traffic-shift strategy of the service's deployments. */
  readonly strategy: ManifestReleaseStrategy;
  /** the checks run against the new tasks at the pause; may be empty. */
  readonly smoke: readonly ManifestSmokeCheck[];
  /** whether a person approves the shift of production traffic after the checks pass. */
  readonly approve: boolean;
  /**
   * present when the service has a PAUSE lifecycle hook at POST_TEST_TRAFFIC_SHIFT (smoke checks or approval
   * configured): how long the deployment waits there before the hook's timeout rolls it back.
   */
  readonly pause?: { readonly timeoutMinutes: number };
}

/** Everything the CLI needs to operate one environment. */
export interface Manifest {
  /** {@link MANIFEST_SCHEMA_VERSION} at the time the stack was synthesized. */
  readonly schemaVersion: number;
  /** the app name from config. */
  readonly app: string;
  /** the environment this manifest describes. */
  readonly environment: ManifestEnvironment;
  /** AWS account id. */
  readonly account: string;
  /** AWS region. */
  readonly region: string;
  /** the ECS cluster. */
  readonly cluster: NamedResource;
  /** the ECS service. */
  readonly service: NamedResource;
  /** task-definition family of the service; pre and live never share one. */
  readonly taskDefinitionFamily: string;
  /** name of the application container in the task definition. */
  readonly containerName: string;
  /** port the application container listens on. */
  readonly containerPort: number;
  /** the ECR repository images come from. */
  readonly repository: { readonly name: string; readonly uri: string };
  /** the Auto Scaling group that provides the environment's instances. */
  readonly autoScalingGroupName: string;
  /** the ECS capacity provider over that group. */
  readonly capacityProviderName: string;
  /** the launch template the group launches from. */
  readonly launchTemplateId: string;
  /** the application load balancer. */
  readonly loadBalancer: {
    readonly arn: string;
    readonly dnsName: string;
    readonly canonicalHostedZoneId: string;
  };
  /** the load balancer's listeners. */
  readonly listeners: { readonly https: string; readonly http: string };
  /** listener rules: `production` forwards the subdomain, `test` reaches green before traffic shifts. */
  readonly rules: { readonly production: string; readonly test: string };
  /** the request header (name and value) that selects the test rule. */
  readonly testHeader: { readonly name: string; readonly value: string };
  /** blue and green target groups (ARNs). */
  readonly targetGroups: { readonly blue: string; readonly green: string };
  /** the environment's fully qualified domain name, e.g. `be.example.com`. */
  readonly domainName: string;
  /** the public URL of the environment. */
  readonly url: string;
  /** id of the Route 53 hosted zone that holds the alias records. */
  readonly hostedZoneId: string;
  /** ARN of the ACM certificate on the 443 listener. */
  readonly certificateArn: string;
  /** CloudWatch log group of the application container. */
  readonly logGroupName: string;
  /** CloudWatch log group of ECS Exec sessions. */
  readonly execLogGroupName: string;
  /** the image tag the template deploys: `master` for pre, the SSM reference's current value for live. */
  readonly defaultImageTag: string;
  /** SSM parameter that holds the live image tag (live only; pre follows `master`). */
  readonly imageTagParameter?: string;
  /** the environment's database, when config enables one. */
  readonly database?: ManifestDatabase;
  /** how the environment releases; absent in manifests written before berth had release strategies: blue/green, no gate. */
  readonly release?: ManifestRelease;
  /** the ARN of each duty's role (infra/constructs/operator-access.ts); absent in manifests written before berth had them. */
  readonly accessRoles?: Readonly<Record<Duty, string>>;
  /**
   * the CPU architecture of the environment's instances (`environments.<env>.architecture`), which `berth verify`
   * checks the next image against; absent in older manifests. The execution role and the secrets it checks come
   * from the running task definition instead: that is what the next release copies, and a manifest listing every
   * secret could outgrow the 4 KB of a standard parameter.
   */
  readonly architecture?: ManifestArchitecture;
}

/** The SSM parameter path a stack writes its manifest to. */
export function manifestParameterName(app: string, environment: ManifestEnvironment): string {
  return `/berth/${app}/${environment}/manifest`;
}

/**
 * A release tag: `vMAJOR.MINOR.PATCH` with an optional pre-release suffix (`v1.5.0-rc.1`; group 4). SSM
 * enforces it on live's image-tag parameter and the CLI checks tags with it, so a tag the CLI can release
 * is always one the parameter can record. Written for both JavaScript and SSM's pattern syntax.
 */
export const RELEASE_TAG_PATTERN = '^v(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?$';

/** The description of live's image-tag parameter; the stack creates it with it and the CLI keeps it with every write. */
export function imageTagParameterDescription(app: string): string {
  return `berth ${app}: the release live runs; written by \`berth promote\`, its history is the release history`;
}

/** The SSM parameter path that holds live's image tag. */
export function imageTagParameterName(app: string): string {
  return `/berth/${app}/live/image-tag`;
}

const arn = { type: 'string', pattern: '^arn:aws[a-z-]*:' } as const;
const name = { type: 'string', minLength: 1 } as const;
const namedResource = {
  type: 'object',
  required: ['name', 'arn'],
  additionalProperties: false,
  properties: { name, arn },
} as const;

/** JSON Schema (draft-07) of {@link Manifest}; the stack tests and the CLI both validate against it. */
export const MANIFEST_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://berth.invalid/manifest.schema.json',
  title: 'berth environment manifest',
  type: 'object',
  additionalProperties: false,
  required: [
    'schemaVersion',
    'app',
    'environment',
    'account',
    'region',
    'cluster',
    'service',
    'taskDefinitionFamily',
    'containerName',
    'containerPort',
    'repository',
    'autoScalingGroupName',
    'capacityProviderName',
    'launchTemplateId',
    'loadBalancer',
    'listeners',
    'rules',
    'testHeader',
    'targetGroups',
    'domainName',
    'url',
    'hostedZoneId',
    'certificateArn',
    'logGroupName',
    'execLogGroupName',
    'defaultImageTag',
  ],
  properties: {
    schemaVersion: { const: MANIFEST_SCHEMA_VERSION },
    app: { type: 'string', pattern: APP_NAME.source },
    environment: { enum: [...ENVIRONMENT_NAMES] },
    account: { type: 'string', pattern: '^[0-9]{12}$' },
    region: { type: 'string', pattern: REGION.source },
    cluster: namedResource,
    service: namedResource,
    taskDefinitionFamily: name,
    containerName: name,
    containerPort: { type: 'integer', minimum: 1, maximum: 65535 },
    repository: {
      type: 'object',
      required: ['name', 'uri'],
      additionalProperties: false,
      properties: { name, uri: { type: 'string', pattern: '^[0-9]{12}\\.dkr\\.ecr\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/' } },
    },
    autoScalingGroupName: name,
    capacityProviderName: name,
    launchTemplateId: { type: 'string', pattern: '^lt-[0-9a-f]+$' },
    loadBalancer: {
      type: 'object',
      required: ['arn', 'dnsName', 'canonicalHostedZoneId'],
      additionalProperties: false,
      properties: { arn, dnsName: name, canonicalHostedZoneId: name },
    },
    listeners: {
      type: 'object',
      required: ['https', 'http'],
      additionalProperties: false,
      properties: { https: arn, http: arn },
    },
    rules: {
      type: 'object',
      required: ['production', 'test'],
      additionalProperties: false,
      properties: { production: arn, test: arn },
    },
    testHeader: {
      type: 'object',
      required: ['name', 'value'],
      additionalProperties: false,
      properties: { name, value: name },
    },
    targetGroups: {
      type: 'object',
      required: ['blue', 'green'],
      additionalProperties: false,
      properties: { blue: arn, green: arn },
    },
    domainName: name,
    url: { type: 'string', pattern: '^https://' },
    hostedZoneId: { type: 'string', pattern: '^Z[A-Z0-9]+$' },
    certificateArn: arn,
    logGroupName: name,
    execLogGroupName: name,
    defaultImageTag: name,
    imageTagParameter: { type: 'string', pattern: '^/berth/' },
    database: {
      type: 'object',
      required: ['engine', 'endpoint', 'port', 'secretArn', 'clientTaskDefinitionFamily', 'clientSecurityGroupId'],
      additionalProperties: false,
      properties: {
        engine: { enum: ['mysql', 'postgres'] },
        endpoint: name,
        port: { type: 'integer', minimum: 1, maximum: 65535 },
        secretArn: arn,
        clientTaskDefinitionFamily: name,
        clientSecurityGroupId: { type: 'string', pattern: '^sg-[0-9a-f]+$' },
      },
    },
    accessRoles: {
      type: 'object',
      required: [...DUTIES],
      additionalProperties: false,
      properties: Object.fromEntries(DUTIES.map((duty) => [duty, arn])),
    },
    architecture: { enum: [...MANIFEST_ARCHITECTURES] },
    release: {
      type: 'object',
      required: ['strategy', 'smoke', 'approve'],
      additionalProperties: false,
      properties: {
        strategy: {
          oneOf: [
            { type: 'object', required: ['type'], additionalProperties: false, properties: { type: { const: 'blue-green' } } },
            {
              type: 'object',
              required: ['type', 'percent', 'bakeMinutes'],
              additionalProperties: false,
              properties: { type: { const: 'canary' }, percent: { type: 'number' }, bakeMinutes: { type: 'integer' } },
            },
            {
              type: 'object',
              required: ['type', 'stepPercent', 'stepBakeMinutes'],
              additionalProperties: false,
              properties: { type: { const: 'linear' }, stepPercent: { type: 'number' }, stepBakeMinutes: { type: 'integer' } },
            },
          ],
        },
        smoke: {
          type: 'array',
          items: {
            type: 'object',
            required: ['path', 'status'],
            additionalProperties: false,
            properties: {
              path: { type: 'string', pattern: '^/' },
              status: { type: 'integer', minimum: 100, maximum: 599 },
              bodyContains: { type: 'string' },
              header: {
                type: 'object',
                required: ['name'],
                additionalProperties: false,
                properties: { name: { type: 'string' }, value: { type: 'string' } },
              },
            },
          },
        },
        approve: { type: 'boolean' },
        pause: {
          type: 'object',
          required: ['timeoutMinutes'],
          additionalProperties: false,
          properties: { timeoutMinutes: { type: 'integer', minimum: 1 } },
        },
      },
    },
  },
} as const;

/** Thrown when a manifest is not JSON or does not match {@link MANIFEST_SCHEMA}. */
export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** Thrown when a manifest's `schemaVersion` is not {@link MANIFEST_SCHEMA_VERSION}: the fix depends on which side is newer. */
export class ManifestVersionError extends ManifestError {
  constructor(
    message: string,
    /** the version the manifest says, or undefined when it says none. */
    readonly found: unknown,
  ) {
    super(message);
    this.name = 'ManifestVersionError';
  }
}

/**
 * What is wrong with a manifest's schema version, in one line with its fix, or undefined when this berth reads it.
 * @param found the manifest's `schemaVersion`
 * @param source where the manifest came from, for the message
 */
export function manifestVersionProblem(found: unknown, source: string): string | undefined {
  if (found === MANIFEST_SCHEMA_VERSION) return undefined;
  if (typeof found === 'number' && Number.isInteger(found) && found > MANIFEST_SCHEMA_VERSION) {
    return `manifest ${source} has schema version ${found}, newer than the ${MANIFEST_SCHEMA_VERSION} this berth reads; upgrade berth to the version that deployed the stack`;
  }
  return `manifest ${source} has schema version ${JSON.stringify(found ?? null)}, not the ${MANIFEST_SCHEMA_VERSION} this berth reads; redeploy the stack with this version's cdk deploy`;
}

let compiled: ReturnType<Ajv['compile']> | undefined;

/**
 * Parses and validates a manifest document.
 * @param text the parameter's value
 * @param source where it came from (the parameter name), for the error message
 */
export function parseManifest(text: string, source: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ManifestError(`manifest ${source} is not JSON (${(err as Error).message}); redeploy the stack with cdk deploy`);
  }
  // the version first: a manifest of another layout fails the schema on many fields, and only this one says what to do.
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const found = (value as { schemaVersion?: unknown }).schemaVersion;
    const problem = manifestVersionProblem(found, source);
    if (problem !== undefined) throw new ManifestVersionError(problem, found);
  }
  compiled ??= new Ajv({ allErrors: true, strict: true }).compile(MANIFEST_SCHEMA);
  if (!compiled(value)) {
    const problems = (compiled.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    throw new ManifestError(
      `manifest ${source} does not match the schema this berth expects: ${problems.join('; ')}; redeploy the stack with this version's cdk deploy`,
    );
  }
  return value as Manifest;
}
