import { GetRoleCommand, IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { ecsTasksStatement, readTrustPolicy, roleNameOf, simulateRoleAction } from '../../../scripts/aws/execution-role';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { trustPolicy } from '../../_helpers/preflight';

const iam = new IAMClient({ region: 'eu-west-1' });

beforeEach(() => resetAwsMocks());

describe("the execution role's trust", () => {
  test('a role ARN with a path names the role by its last segment', () => {
    expect(roleNameOf('arn:aws:iam::123456789012:role/service-role/berth/exec')).toBe('exec');
  });

  test('reads the URL-encoded trust policy IAM returns', async () => {
    // GIVEN
    aws.iam.on(GetRoleCommand, { RoleName: 'exec' }).resolves({ Role: { AssumeRolePolicyDocument: trustPolicy() } as never });

    // WHEN
    const policy = await readTrustPolicy(iam, 'arn:aws:iam::123456789012:role/exec');

    // THEN
    expect(policy?.statements).toEqual([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  });

  test('a role that does not exist reads as undefined', async () => {
    // GIVEN
    aws.iam.on(GetRoleCommand).rejects(Object.assign(new Error('no'), { name: 'NoSuchEntityException' }));

    // WHEN / THEN
    await expect(readTrustPolicy(iam, 'arn:aws:iam::123456789012:role/gone')).resolves.toBeUndefined();
  });

  test.each([
    ['the stack’s statement', [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }], true],
    [
      'a list of services and actions',
      [
        {
          Effect: 'Allow',
          Principal: { Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] },
          Action: ['sts:TagSession', 'sts:AssumeRole'],
        },
      ],
      true,
    ],
    ['another service', [{ Effect: 'Allow', Principal: { Service: 'ecs.amazonaws.com' }, Action: 'sts:AssumeRole' }], false],
    ['a Deny', [{ Effect: 'Deny', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }], false],
    ['only TagSession', [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:TagSession' }], false],
  ])('%s: ECS tasks may assume it: %s', (_case, statements, allowed) => {
    expect(ecsTasksStatement({ statements }) !== undefined).toBe(allowed);
  });
});

describe("the policy simulator's decisions", () => {
  test('maps each resource to its decision', async () => {
    // GIVEN
    aws.iam.on(SimulatePrincipalPolicyCommand).resolves({
      EvaluationResults: [
        { EvalActionName: 'kms:Decrypt', EvalResourceName: 'arn:key/a', EvalDecision: 'allowed' },
        { EvalActionName: 'kms:Decrypt', EvalResourceName: 'arn:key/b', EvalDecision: 'explicitDeny' },
      ],
    });

    // WHEN
    const decisions = await simulateRoleAction(iam, 'arn:aws:iam::123456789012:role/exec', 'kms:Decrypt', ['arn:key/a', 'arn:key/b']);

    // THEN
    expect([...decisions]).toEqual([
      ['arn:key/a', 'allowed'],
      ['arn:key/b', 'explicitDeny'],
    ]);
    expect(aws.iam).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      PolicySourceArn: 'arn:aws:iam::123456789012:role/exec',
      ActionNames: ['kms:Decrypt'],
      ResourceArns: ['arn:key/a', 'arn:key/b'],
    });
  });
});
