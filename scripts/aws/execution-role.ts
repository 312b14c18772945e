import { GetRoleCommand, type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { withPermission } from './permission';

/** The service principal ECS tasks assume their roles as (ECS developer guide, task execution IAM role, trust relationship). */
export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

/** One statement of a role's trust policy, as far as berth reads it. */
interface TrustStatement {
  readonly Effect?: string;
  readonly Principal?: string | { readonly Service?: string | readonly string[] };
  readonly Action?: string | readonly string[];
  readonly Condition?: unknown;
}

/** A role's trust policy: who may assume it. */
export interface TrustPolicy {
  /** the policy's statements. */
  readonly statements: readonly TrustStatement[];
}

/**
 * The name of a role from its ARN: the last segment, after any path (`role/path/name` -> `name`).
 * @param roleArn the role's ARN
 */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf('/') + 1);
}

/**
 * Reads a role's trust policy; undefined when the role does not exist.
 * @param iam an IAM client
 * @param roleArn the role
 */
export async function readTrustPolicy(iam: IAMClient, roleArn: string): Promise<TrustPolicy | undefined> {
  let document: string | undefined;
  try {
    const response = await withPermission('iam:GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleNameOf(roleArn) })));
    document = response.Role?.AssumeRolePolicyDocument;
  } catch (err) {
    if ((err as Error).name === 'NoSuchEntityException' || (err as Error).name === 'NoSuchEntity') return undefined;
    throw err;
  }
  // "policies returned by this operation are URL-encoded compliant with RFC 3986" (IAM API reference, GetRole).
  const parsed = JSON.parse(decodeURIComponent(document ?? '{}')) as { Statement?: TrustStatement | TrustStatement[] };
  return { statements: [parsed.Statement ?? []].flat() };
}

const asList = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : [value].flat());

/**
 * Whether a trust policy lets ECS tasks assume the role: an Allow statement for the `ecs-tasks.amazonaws.com`
 * service that allows `sts:AssumeRole` (or a wildcard over it).
 * @param policy the role's trust policy
 * @returns the statement that allows it, or undefined
 */
export function ecsTasksStatement(policy: TrustPolicy): TrustStatement | undefined {
  return policy.statements.find((s) => {
    if (s.Effect !== 'Allow') return false;
    const services = typeof s.Principal === 'string' ? [s.Principal] : asList(s.Principal?.Service);
    const actions = asList(s.Action);
    return (
      (services.includes(ECS_TASKS_PRINCIPAL) || services.includes('*')) &&
      actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')
    );
  });
}

/** What IAM's policy simulator decided for one action on one resource. */
export type SimulatedDecision = 'allowed' | 'explicitDeny' | 'implicitDeny';

/**
 * Asks IAM's policy simulator whether a role's identity policies allow an action on each resource. It reads
 * policies and changes nothing (IAM API reference, SimulatePrincipalPolicy). It evaluates the role's own
 * policies only: "simulation of resource-based policies isn't supported for IAM roles" (same page, ResourcePolicy),
 * so a KMS key policy that names the role itself is not part of the answer.
 * @param iam an IAM client
 * @param roleArn the role whose policies are simulated
 * @param action the IAM action, e.g. `secretsmanager:GetSecretValue`
 * @param resourceArns the resources
 * @returns each resource's decision
 */
export async function simulateRoleAction(
  iam: IAMClient,
  roleArn: string,
  action: string,
  resourceArns: readonly string[],
): Promise<Map<string, SimulatedDecision>> {
  const response = await withPermission('iam:SimulatePrincipalPolicy', () =>
    iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: [action], ResourceArns: [...resourceArns] })),
  );
  const decisions = new Map<string, SimulatedDecision>();
  for (const result of response.EvaluationResults ?? []) {
    if (result.EvalResourceName && result.EvalDecision) decisions.set(result.EvalResourceName, result.EvalDecision as SimulatedDecision);
  }
  return decisions;
}
