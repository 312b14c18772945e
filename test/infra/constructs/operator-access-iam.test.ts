import {
  type AwsCall,
  type CallResource,
  callsOfDuty,
  COMMAND_ACCESS,
  type CommandAccess,
  type Duty,
  DUTIES,
  DUTIES_THAT_INCLUDE,
} from '../../../infra/duties';
import {
  DEFAULT_KEY_POLICY,
  DeployedStacks,
  type DeployedRole,
  evaluate,
  evaluateWithResourcePolicy,
  type IamRequest,
  TEST_ACCOUNT,
} from '../../_helpers/iam';
import type { EvaluationResult } from '@cloud-copilot/iam-simulate';
import { synthBerth } from '../../_helpers/synth';

type Stack = 'berth-pre' | 'berth-live';
const ENVIRONMENTS: Readonly<Record<Stack, 'pre' | 'live'>> = { 'berth-pre': 'pre', 'berth-live': 'live' };

/**
 * Resources both environments share (or AWS owns): a call on them is no crossing into the other environment.
 * sts:GetCallerIdentity needs no permission (STS API reference): no policy can refuse it.
 */
const SHARED: readonly CallResource[] = ['any', 'amiParameter', 'repository', 'hostedZone', 'ssmDocument', 'secretKeys'];

// the duty roles, evaluated as IAM would (test/_helpers/iam.ts): every call of every command (infra/duties.ts, the
// list the command tests hold the CLI to) is allowed for its duty in its environment, and refused to the duties
// without it and to every role of the other environment. With a database, so db-shell's calls exist.
describe('the duty roles, evaluated', () => {
  const world = DeployedStacks.fromBerth(
    synthBerth((raw) => {
      for (const name of ['pre', 'live'] as const)
        (raw.environments as Record<string, Record<string, unknown>>)[name].database = { enabled: true };
    }),
  );
  const roles = Object.fromEntries(
    (Object.keys(ENVIRONMENTS) as Stack[]).map((stack) => [
      stack,
      Object.fromEntries(
        DUTIES.map((duty) => [
          duty,
          world.role(stack, new RegExp(`^OperatorAccess${duty[0].toUpperCase()}${duty.slice(1)}Role[0-9A-F]{8}$`)),
        ]),
      ),
    ]),
  ) as Record<Stack, Record<Duty, DeployedRole>>;

  /** The request one call of a command makes against an environment's resources. */
  function requestOf(stack: Stack, call: AwsCall): IamRequest | undefined {
    const environment = ENVIRONMENTS[stack];
    const cluster = world.resource(stack, 'AWS::ECS::Cluster', /^CapacityCluster/);
    const service = world.resource(stack, 'AWS::ECS::Service', /^Service[0-9A-F]{8}$/);
    const ecs = (resource: string) => `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:${resource}`;
    const revisionOf = (pattern: RegExp) => world.resource(stack, 'AWS::ECS::TaskDefinition', pattern).arn.replace(/:1$/, ':9');
    const passed = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };
    const { action } = call;
    switch (call.resource) {
      case 'any':
        return { action };
      case 'manifest':
        return { action, resource: world.resource(stack, 'AWS::SSM::Parameter', /^Manifest/) };
      case 'imageTagParameter':
        return stack === 'berth-live'
          ? { action, resource: world.resource('berth-shared', 'Custom::BerthImageTagParameter', /ImageTag/) }
          : undefined;
      case 'amiParameter':
        // the evaluator knows parameter ARNs with an account only; the policy's names any account or none.
        return {
          action,
          resource: `arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:parameter/aws/service/ecs/optimized-ami/amazon-linux-2023/${stack === 'berth-live' ? 'arm64/' : ''}recommended/image_id`,
        };
      case 'repository':
        return { action, resource: world.resource('berth-shared', 'AWS::ECR::Repository', /Repository/) };
      case 'cluster':
        return { action, resource: cluster };
      case 'service': {
        const revision = revisionOf(/^ServiceTaskDefinition[0-9A-F]{8}$/);
        return { action, resource: service, ...(action === 'ecs:UpdateService' ? { context: { 'ecs:task-definition': revision } } : {}) };
      }
      case 'serviceDeployments': {
        const kind = action === 'ecs:DescribeServiceRevisions' ? 'service-revision' : 'service-deployment';
        return { action, resource: ecs(`${kind}/${cluster.name}/${service.name}/1234567890`) };
      }
      case 'taskDefinitionFamily': {
        const context = action === 'ecs:TagResource' ? { 'ecs:CreateAction': 'RegisterTaskDefinition' } : undefined;
        return { action, resource: revisionOf(/^ServiceTaskDefinition[0-9A-F]{8}$/), ...(context ? { context } : {}) };
      }
      case 'databaseClientFamily':
        return { action, resource: revisionOf(/^DatabaseClientTaskDefinition/), context: { 'ecs:cluster': cluster.arn } };
      case 'tasks':
        return {
          action,
          resource: ecs(`task/${cluster.name}/0123456789abcdef0123456789abcdef`),
          ...(action === 'ecs:TagResource' ? { context: { 'ecs:CreateAction': 'RunTask' } } : {}),
        };
      case 'containerInstances':
        return { action, resource: ecs(`container-instance/${cluster.name}/0123456789abcdef0123456789abcdef`) };
      case 'capacityProvider':
        return { action, resource: world.resource(stack, 'AWS::ECS::CapacityProvider', /^CapacityCapacityProvider/) };
      case 'instances':
        // an instance of the environment's Auto Scaling group, with the tags the group gives it.
        return {
          action,
          resource: `arn:aws:ec2:eu-west-1:${TEST_ACCOUNT}:instance/i-0${environment === 'pre' ? 'aaaa' : 'bbbb'}1234567890`,
          context: { 'aws:ResourceTag/berth:app': 'berth', 'aws:ResourceTag/berth:environment': environment },
        };
      case 'executionRole':
        return { action, resource: world.resource(stack, 'AWS::IAM::Role', /^ServiceTaskDefinitionExecutionRole/) };
      case 'secrets':
        // by ARN: the evaluator knows no secretsmanager:ResourceTag key for the template's tags.
        return { action, resource: world.resource(stack, 'AWS::SecretsManager::Secret', /^DatabaseSecret[0-9A-F]{8}$/).arn };
      case 'secretKeys':
        return { action, resource: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/0123abcd-0123-0123-0123-0123456789ab` };
      case 'taskRoles':
        return { action, resource: world.resource(stack, 'AWS::IAM::Role', /^ServiceTaskDefinitionTaskRole/), context: passed };
      case 'databaseClientRoles':
        return { action, resource: world.resource(stack, 'AWS::IAM::Role', /^DatabaseClientTaskDefinitionTaskRole/), context: passed };
      case 'logGroup':
        return { action, resource: world.resource(stack, 'AWS::Logs::LogGroup', /^ServiceLogGroup/) };
      case 'hostedZone':
        return { action, resource: 'arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ' };
      case 'certificate':
        return { action, resource: world.resource(stack, 'AWS::CertificateManager::Certificate', /^IngressCertificate/) };
      case 'ssmDocument':
        return {
          action,
          resource:
            // the evaluator knows document ARNs with an account only; the policy's names any account or none.
            action === 'ssm:SendCommand'
              ? `arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:document/AWS-RunShellScript`
              : `arn:aws:ssm:eu-west-1:${TEST_ACCOUNT}:document/SSM-SessionManagerRunShell`,
        };
      case 'autoScalingGroup':
        throw new Error(`${action}: no command calls the Auto Scaling group by ARN; add its resource to this test`);
    }
  }

  // commands share most of their calls: each request is evaluated once per role, whichever command makes it.
  const results = new Map<string, Promise<EvaluationResult>>();

  /** `call: result` for each call whose result is not the expected one. */
  async function unexpected(role: DeployedRole, stack: Stack, calls: readonly AwsCall[], expected: 'Allowed' | 'denied') {
    const lines: string[] = [];
    for (const call of calls) {
      const request = requestOf(stack, call);
      if (!request) continue;
      const key = `${role.stack} ${role.name} ${stack} ${call.action} ${call.resource}`;
      if (!results.has(key)) {
        // a key's own policy decides first; the secrets' keys are the account's, with KMS's default policy.
        results.set(
          key,
          call.resource === 'secretKeys' ? evaluateWithResourcePolicy(role, DEFAULT_KEY_POLICY, request) : evaluate(role, request),
        );
      }
      const result = await results.get(key)!;
      if ((result === 'Allowed') !== (expected === 'Allowed')) lines.push(`${call.action} ${call.resource}: ${result}`);
    }
    return lines;
  }

  const commands = Object.entries(COMMAND_ACCESS) as [string, CommandAccess][];

  describe.each(Object.keys(ENVIRONMENTS) as Stack[])('in %s', (stack) => {
    const other: Stack = stack === 'berth-pre' ? 'berth-live' : 'berth-pre';

    test.each(commands)('berth %s: every call is allowed to its duty and to the duties that include it', async (_name, access) => {
      for (const duty of DUTIES_THAT_INCLUDE[access.duty]) {
        expect({ duty, unexpected: await unexpected(roles[stack][duty], stack, access.calls, 'Allowed') }).toEqual({
          duty,
          unexpected: [],
        });
      }
    });

    test.each(commands)('berth %s: a duty without it may make none of the calls its own commands do not make', async (_name, access) => {
      for (const duty of DUTIES.filter((d) => !DUTIES_THAT_INCLUDE[access.duty].includes(d))) {
        const own = new Set(callsOfDuty(duty).map((c) => `${c.action} ${c.resource}`));
        const foreign = access.calls.filter((c) => !own.has(`${c.action} ${c.resource}`) && c.action !== 'sts:GetCallerIdentity');
        expect({ duty, unexpected: await unexpected(roles[stack][duty], stack, foreign, 'denied') }).toEqual({ duty, unexpected: [] });
      }
    });

    test.each(commands)(
      `berth %s: no role of the other environment may make its calls on ${ENVIRONMENTS[stack]}`,
      async (_name, access) => {
        const own = access.calls.filter((c) => !SHARED.includes(c.resource));
        for (const duty of DUTIES) {
          expect({ duty, unexpected: await unexpected(roles[other][duty], stack, own, 'denied') }).toEqual({ duty, unexpected: [] });
        }
      },
    );
  });

  test("the releaser may only roll the service onto a revision of its environment's own family", async () => {
    // GIVEN live's service and a revision of pre's family
    const service = world.resource('berth-live', 'AWS::ECS::Service', /^Service[0-9A-F]{8}$/);
    const preRevision = world.resource('berth-pre', 'AWS::ECS::TaskDefinition', /^ServiceTaskDefinition[0-9A-F]{8}$/).arn;

    // WHEN / THEN
    expect(
      await evaluate(roles['berth-live'].releaser, {
        action: 'ecs:UpdateService',
        resource: service,
        context: { 'ecs:task-definition': preRevision },
      }),
    ).toBe('ImplicitlyDenied');
  });

  test('the troubleshooter may start a session on an instance of its environment only', async () => {
    // GIVEN an instance of another app's live, and one without berth's tags
    const instance = `arn:aws:ec2:eu-west-1:${TEST_ACCOUNT}:instance/i-0cccc1234567890`;
    const troubleshooter = roles['berth-live'].troubleshooter;

    // WHEN
    const otherApp = await evaluate(troubleshooter, {
      action: 'ssm:StartSession',
      resource: instance,
      context: { 'aws:ResourceTag/berth:app': 'other', 'aws:ResourceTag/berth:environment': 'live' },
    });
    const untagged = await evaluate(troubleshooter, { action: 'ssm:StartSession', resource: instance });

    // THEN
    expect([otherApp, untagged]).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  test("the troubleshooter may run the database client only, and only in its environment's cluster", async () => {
    // GIVEN the app's own family, and the client's family in another cluster
    const appRevision = world.resource('berth-live', 'AWS::ECS::TaskDefinition', /^ServiceTaskDefinition[0-9A-F]{8}$/).arn;
    const client = world.resource('berth-live', 'AWS::ECS::TaskDefinition', /^DatabaseClientTaskDefinition/).arn;
    const liveCluster = world.resource('berth-live', 'AWS::ECS::Cluster', /^CapacityCluster/).arn;
    const preCluster = world.resource('berth-pre', 'AWS::ECS::Cluster', /^CapacityCluster/).arn;
    const troubleshooter = roles['berth-live'].troubleshooter;

    // WHEN
    const results = [
      await evaluate(troubleshooter, { action: 'ecs:RunTask', resource: client, context: { 'ecs:cluster': liveCluster } }),
      await evaluate(troubleshooter, { action: 'ecs:RunTask', resource: appRevision, context: { 'ecs:cluster': liveCluster } }),
      await evaluate(troubleshooter, { action: 'ecs:RunTask', resource: client, context: { 'ecs:cluster': preCluster } }),
    ];

    // THEN
    expect(results).toEqual(['Allowed', 'ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});
