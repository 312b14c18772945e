import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AccessConfig } from '../config';
import { nagResource } from './nag-resource';
import { type CallResource, callsOfDuty, type Duty, DUTIES, DUTY_SESSION_HOURS, dutyRoleName } from '../duties';

/**
 * What one kind of resource of {@link CallResource} is in this environment: the ARNs a statement names and the
 * conditions that pin it when an ARN alone cannot (instances, whose ids nobody knows at synth time).
 */
export interface AccessScope {
  /** the ARNs (or patterns) of the resources. */
  readonly resources: readonly string[];
  /** conditions every call on these resources must meet. */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

/**
 * The environment's resources by the kind {@link CallResource} names; a kind left out is one the environment does
 * not have (live's image-tag parameter on pre, the database client without a database), and no role gets the
 * calls on it.
 */
export type AccessResources = Readonly<Partial<Record<CallResource, AccessScope>>>;

/** Properties of {@link OperatorAccess}. */
export interface OperatorAccessProps {
  /** the app name, part of each role's name. */
  readonly appName: string;
  /** pre or live, part of each role's name. */
  readonly environmentName: string;
  /** who may assume each role, and whether with MFA only. */
  readonly access: AccessConfig;
  /**
   * the environment's resources each kind of call addresses; its `taskDefinitionFamily` is also the only family
   * `ecs:UpdateService` may roll the service onto, its `cluster` the only one `ecs:RunTask` may start a task in.
   */
  readonly resources: AccessResources;
}

/**
 * Why a kind of resource is named with a wildcard; the cdk-nag acknowledgement of each wildcard carries it. A kind
 * missing here that gets a wildcard stops synth.
 */
const WILDCARD_REASONS: Readonly<Partial<Record<CallResource, string>>> = {
  any: 'these reads have no resource-level permissions (Service Authorization Reference): they take * only, and only read.',
  serviceDeployments: "the deployments and revisions of this environment's service only: ECS assigns their ids.",
  taskDefinitionFamily: "every revision of this environment's family: the CLI registers each release's revision.",
  databaseClientFamily: "every revision of this environment's database client family, run in this environment's cluster only.",
  tasks: "the tasks of this environment's cluster only: ECS assigns their ids.",
  containerInstances: "the container instances of this environment's cluster only: ECS assigns their ids.",
  instances: "instance ids are not known at synth time: the berth:app and berth:environment tags pin this environment's instances.",
  secretKeys: 'kms:DescribeKey only, the metadata of the keys of this account and region: a secret names its key only at run time.',
  amiParameter: "AWS's public parameters of the ECS-optimized AMIs only, which the launch template names: their ARN names no account.",
  ssmDocument: 'AWS-RunShellScript is owned by AWS: its ARN names no account (or AWS’s own), the wildcard stands for that part only.',
};

/**
 * The one resource of a kind, for a condition that names it.
 * @param resources the environment's resources by kind
 * @param kind a kind every environment has exactly one of
 */
function onlyResource(resources: AccessResources, kind: CallResource): string {
  const listed = resources[kind]?.resources ?? [];
  if (listed.length !== 1) throw new Error(`operator access: ${kind} names ${listed.length} resources, not one`);
  return listed[0];
}

/** Conditions some actions carry on top of their resource kind's, by `action kind`. */
type ActionConditions = Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, string>>>>>>;

/**
 * One IAM role per duty (viewer, troubleshooter, releaser), named `berth-<app>-<env>-<duty>` so an operator can put
 * it in a profile's `role_arn`. Each role's policy is built from the calls of the duty's commands in
 * infra/duties.ts, the list the CLI's command tests check every AWS call against, scoped to this environment's
 * resources: a role of pre can do nothing to live, and the other way round (proven with an IAM policy evaluator
 * in test/infra/constructs/operator-access-iam.test.ts).
 */
export class OperatorAccess extends Construct {
  /** the role of each duty. */
  readonly roles: Readonly<Record<Duty, iam.Role>>;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const { appName, environmentName, access, resources } = props;
    const { account, partition } = Stack.of(this);
    const actionConditions: ActionConditions = {
      // UpdateService authorizes the revision it deploys (ecs:task-definition, Service Authorization Reference): the
      // releaser rolls the service only onto a revision of the environment's own family, with its roles and secrets.
      'ecs:UpdateService service': { ArnLike: { 'ecs:task-definition': onlyResource(resources, 'taskDefinitionFamily') } },
      'ecs:RunTask databaseClientFamily': { ArnEquals: { 'ecs:cluster': onlyResource(resources, 'cluster') } },
      // tags only as part of creating: the revision's berth tags, a database client task's propagated tags.
      'ecs:TagResource taskDefinitionFamily': { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      'ecs:TagResource tasks': { StringEquals: { 'ecs:CreateAction': 'RunTask' } },
      'iam:PassRole taskRoles': { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      'iam:PassRole databaseClientRoles': { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    };

    const roles = {} as Record<Duty, iam.Role>;
    for (const duty of DUTIES) {
      const role = new iam.Role(this, `${duty[0].toUpperCase()}${duty.slice(1)}Role`, {
        roleName: dutyRoleName(appName, environmentName, duty),
        assumedBy: trustOf(access[duty], access.requireMfa, account, partition),
        description: `berth ${appName} ${environmentName}: the ${duty}'s rights (infra/duties.ts)`,
        maxSessionDuration: Duration.hours(DUTY_SESSION_HOURS[duty]),
      });
      const wildcards = new Map<string, string>();
      for (const { statement, kind } of statementsOf(duty, resources, actionConditions)) {
        role.addToPolicy(statement);
        for (const resource of statement.resources.filter((r) => r.includes('*'))) {
          const reason = WILDCARD_REASONS[kind];
          if (!reason) throw new Error(`operator access: ${resource} of ${kind} has a wildcard and no reason in WILDCARD_REASONS`);
          wildcards.set(`AwsSolutions-IAM5[Resource::${nagResource(Stack.of(this).resolve(resource))}]`, reason);
        }
      }
      Validations.of(role).acknowledge(...[...wildcards].map(([id, reason]) => ({ id, reason })));
      roles[duty] = role;
    }
    this.roles = roles;
  }
}

/**
 * The principal of a duty role: the listed principals, or the environment's own account when none is listed;
 * with `requireMfa`, only sessions signed in with MFA (IAM user guide, "Configuring MFA-protected API access":
 * `aws:MultiFactorAuthPresent` is true only for credentials obtained with an MFA code).
 * @param principals ARNs or account ids from config
 * @param requireMfa whether MFA is required
 * @param account the environment's account
 * @param partition the environment's partition
 */
function trustOf(principals: readonly string[], requireMfa: boolean, account: string, partition: string): iam.IPrincipal {
  const listed = principals.length > 0 ? principals : [account];
  const members = listed.map((principal) =>
    /^\d{12}$/.test(principal) || principal === account
      ? new iam.ArnPrincipal(`arn:${partition}:iam::${principal}:root`)
      : new iam.ArnPrincipal(principal),
  );
  const principal = members.length === 1 ? members[0] : new iam.CompositePrincipal(...members);
  return requireMfa ? principal.withConditions({ Bool: { 'aws:MultiFactorAuthPresent': 'true' } }) : principal;
}

/**
 * The statements of a duty: its calls grouped by resource kind and by the conditions they carry, in the order
 * infra/duties.ts lists them. A call on a kind the environment does not have is left out.
 * @param duty the duty
 * @param resources the environment's resources by kind
 * @param actionConditions conditions some actions add
 */
function statementsOf(
  duty: Duty,
  resources: AccessResources,
  actionConditions: ActionConditions,
): { statement: iam.PolicyStatement; kind: CallResource }[] {
  const groups = new Map<
    string,
    { kind: CallResource; actions: string[]; scope: AccessScope; conditions: Record<string, Record<string, unknown>> }
  >();
  for (const call of callsOfDuty(duty)) {
    const scope = call.resource === 'any' ? { resources: ['*'] } : resources[call.resource];
    if (!scope) continue;
    const extra = actionConditions[`${call.action} ${call.resource}`] ?? {};
    const conditions: Record<string, Record<string, unknown>> = {};
    for (const [operator, values] of [...Object.entries(scope.conditions ?? {}), ...Object.entries(extra)]) {
      conditions[operator] = { ...conditions[operator], ...values };
    }
    const key = `${call.resource} ${JSON.stringify(conditions)}`;
    const group = groups.get(key) ?? { kind: call.resource, actions: [], scope, conditions };
    if (!group.actions.includes(call.action)) group.actions.push(call.action);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => ({
    kind: group.kind,
    statement: new iam.PolicyStatement({
      actions: group.actions,
      resources: [...group.scope.resources],
      ...(Object.keys(group.conditions).length > 0 ? { conditions: group.conditions } : {}),
    }),
  }));
}
