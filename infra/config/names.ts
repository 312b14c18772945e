/**
 * Every name berth makes from `appName`, with the limits of the service that takes it. The app name's
 * own pattern (APP_NAME in ./patterns) must be at least as strict as all of them
 * (test/infra/config-names.test.ts checks it, and that a synthesized app really uses these names), so
 * a bad app name stops at the config with one line instead of a stack trace from a construct.
 *
 * Names CloudFormation generates (clusters, services, load balancers, target groups, log groups, roles)
 * are not derived from the app name by berth, and CloudFormation fits them to their limits itself.
 * Nothing in this file may import aws-cdk-lib: the CLI bundles it.
 */
import { ENVIRONMENT_NAMES } from '../environments';
import { imageTagParameterName, manifestParameterName } from '../manifest';
import { APP_NAME_SHAPE } from './patterns';

/** One kind of name made from the app name. */
export interface DerivedName {
  /** what the names are, as the problem line says it. */
  readonly what: string;
  /** the names for an app name. */
  readonly names: (app: string) => readonly string[];
  /** what every name must match. */
  readonly pattern: RegExp;
  /** the longest name allowed. */
  readonly maxLength: number;
  /** the limit in words, and whose it is. */
  readonly rule: string;
}

/** The names berth makes from the app name; each `rule` says where its limit comes from. */
export const DERIVED_NAMES: readonly DerivedName[] = [
  {
    what: 'CloudFormation stack name',
    names: (app) => [`${app}-shared`, ...ENVIRONMENT_NAMES.map((env) => `${app}-${env}`)],
    // CloudFormation API reference, CreateStack StackName.
    pattern: /^[A-Za-z][A-Za-z0-9-]*$/,
    maxLength: 128,
    rule: 'CloudFormation refuses: a stack name is a letter, then letters, digits and hyphens, at most 128 characters',
  },
  {
    what: 'ECR repository name',
    names: (app) => [app],
    // ECR API reference, CreateRepository repositoryName; aws-cdk-lib's Repository checks the same pattern.
    pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    maxLength: 256,
    rule: 'ECR refuses: lower-case letters and digits in groups joined by a single ".", "_" or "-", 2 to 256 characters',
  },
  {
    what: 'task-definition family',
    names: (app) => ENVIRONMENT_NAMES.flatMap((env) => [`${app}-${env}`, `${app}-${env}-db-client`]),
    // ECS API reference, RegisterTaskDefinition family.
    pattern: /^[A-Za-z0-9_-]+$/,
    maxLength: 255,
    rule: 'ECS refuses: up to 255 letters, digits, underscores and hyphens',
  },
  {
    what: 'SSM parameter name',
    names: (app) => [...ENVIRONMENT_NAMES.map((env) => manifestParameterName(app, env)), imageTagParameterName(app)],
    // Systems Manager user guide, requirements and constraints for parameter names.
    pattern: /^\/(?!aws|ssm)[A-Za-z0-9_.\-/]+$/i,
    maxLength: 1011,
    rule: 'SSM refuses: letters, digits and _ . - /, not starting with aws or ssm, at most 1011 characters',
  },
  {
    what: 'CloudFormation export name',
    // aws-cdk-lib names the exports of a cross-stack reference `<stack name>:ExportsOutput…` and cuts them to 255.
    names: (app) => [`${app}-shared:ExportsOutputRef`],
    pattern: /^[A-Za-z0-9:-]+$/,
    maxLength: 255,
    rule: 'CloudFormation refuses: letters, digits, colons and hyphens, at most 255 characters',
  },
  {
    what: '`berth:app` tag value',
    names: (app) => [app],
    // Tagging AWS resources user guide, tag naming limits.
    pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
    maxLength: 256,
    rule: 'AWS refuses: letters, digits, spaces and _ . : / = + - @, at most 256 characters',
  },
];

/**
 * Says which derived name an app name of berth's shape would break, or nothing. Names of another shape
 * get the app name's own message.
 * @param value the app name from config
 */
export function appNameProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || !APP_NAME_SHAPE.test(value)) return undefined;
  for (const derived of DERIVED_NAMES) {
    const broken = derived.names(value).find((name) => name.length > derived.maxLength || !derived.pattern.test(name));
    if (broken !== undefined) return `"${value}" makes the ${derived.what} "${broken}", which ${derived.rule}`;
  }
  return undefined;
}
