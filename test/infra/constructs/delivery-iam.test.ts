import { DeployedStacks, evaluateAll, type DeployedResource, type IamRequest } from '../../_helpers/iam';
import { RELEASE_TAGS } from '../../../infra/release-tags';
import { synthBerth } from '../../_helpers/synth';

// the pre-deploy role, evaluated as IAM would: CI on the delivery branch can deploy pre and change nothing of live.
describe('the pre-deploy role, evaluated', () => {
  const world = DeployedStacks.fromBerth(synthBerth());
  const ci = world.role('berth-shared', /^DeliveryPreDeployRole/);
  const envOf = (stack: 'berth-pre' | 'berth-live') => {
    const service = world.resource(stack, 'AWS::ECS::Service', /^Service[0-9A-F]{8}$/);
    const taskDefinition = world.resource(stack, 'AWS::ECS::TaskDefinition', /^ServiceTaskDefinition[0-9A-F]{8}$/);
    const [, cluster, name] = /service\/([^/]+)\/([^/]+)$/.exec(service.arn)!;
    return {
      service,
      // the revision the next berth deploy registers (CloudFormation registered :1).
      revision: { ...taskDefinition, arn: taskDefinition.arn.replace(/:1$/, ':9') },
      taskRole: world.resource(stack, 'AWS::IAM::Role', /TaskDefinitionTaskRole/),
      executionRole: world.resource(stack, 'AWS::IAM::Role', /TaskDefinitionExecutionRole/),
      manifest: world.resource(stack, 'AWS::SSM::Parameter', /Manifest/),
      deployment: service.arn.replace(':service/', ':service-deployment/') + '/dep1',
      serviceRevision: `${service.arn.replace(/:service\/.*$/, '')}:service-revision/${cluster}/${name}/1234567890`,
    };
  };
  const pre = envOf('berth-pre');
  const live = envOf('berth-live');
  const repository = world.resource('berth-shared', 'AWS::ECR::Repository', /Repository/);
  const tagsOf = (env: ReturnType<typeof envOf>) => ({
    'aws:RequestTag/berth:app': 'berth',
    'aws:RequestTag/berth:environment': env === pre ? 'pre' : 'live',
    'aws:TagKeys': ['berth:app', 'berth:environment'],
  });
  const toEcsTasks = { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' };

  test('allows every call berth deploy pre makes, a failed release included', async () => {
    // GIVEN the calls, in the order the CLI makes them
    const requests: IamRequest[] = [
      { action: 'ssm:GetParameter', resource: pre.manifest },
      { action: 'ecr:DescribeImages', resource: repository },
      { action: 'ecs:DescribeServices', resource: pre.service },
      { action: 'ecs:ListServiceDeployments', resource: pre.service },
      { action: 'ecs:DescribeServiceDeployments', resource: pre.deployment },
      { action: 'ecs:DescribeServiceRevisions', resource: pre.serviceRevision },
      { action: 'ecs:DescribeTaskDefinition' },
      { action: 'ecs:ListTagsForResource', resource: pre.revision },
      { action: 'ecs:RegisterTaskDefinition', resource: pre.revision, context: tagsOf(pre) },
      { action: 'ecs:TagResource', resource: pre.revision, context: { ...tagsOf(pre), 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      { action: 'iam:PassRole', resource: pre.taskRole, context: toEcsTasks },
      { action: 'iam:PassRole', resource: pre.executionRole, context: toEcsTasks },
      { action: 'ecs:UpdateService', resource: pre.service, context: { 'ecs:task-definition': pre.revision.arn } },
      { action: 'elasticloadbalancing:DescribeTargetHealth' },
    ];

    // WHEN
    const results = await evaluateAll(ci, requests);

    // THEN
    expect(results.filter((r) => !r.endsWith(': Allowed'))).toEqual([]);
  });

  test('allows registering a revision tagged with who started the release, as berth deploy pre in the action does', async () => {
    // GIVEN the tags berth deploy pre registers pre's revision with: the stack's, and who started it (no release page)
    const startedBy =
      'arn:aws:sts::123456789012:assumed-role/berth-pre-deploy/GitHubActions https://github.com/acme/infra/actions/runs/777';
    const requestTags = {
      ...tagsOf(pre),
      [`aws:RequestTag/${RELEASE_TAGS.startedBy}`]: startedBy,
      'aws:TagKeys': ['berth:app', 'berth:environment', RELEASE_TAGS.startedBy],
    };

    // WHEN
    const results = await evaluateAll(ci, [
      { action: 'ecs:RegisterTaskDefinition', resource: pre.revision, context: requestTags },
      // tagging on create is authorized as TagResource with ecs:CreateAction (ECS developer guide, "Grant
      // permission to tag resources on creation", https://docs.aws.amazon.com/AmazonECS/latest/developerguide/supported-iam-actions-tagging.html).
      { action: 'ecs:TagResource', resource: pre.revision, context: { ...requestTags, 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    ]);

    // THEN
    expect(results.filter((r) => !r.endsWith(': Allowed'))).toEqual([]);
  });

  test("denies registering, tagging, deploying or passing roles for live's family, service and roles", async () => {
    // GIVEN
    const requests: IamRequest[] = [
      { action: 'ecs:RegisterTaskDefinition', resource: live.revision, context: tagsOf(live) },
      { action: 'ecs:RegisterTaskDefinition', resource: live.revision },
      { action: 'ecs:TagResource', resource: live.revision, context: { ...tagsOf(live), 'ecs:CreateAction': 'RegisterTaskDefinition' } },
      { action: 'ecs:UpdateService', resource: live.service, context: { 'ecs:task-definition': live.revision.arn } },
      { action: 'ecs:UpdateService', resource: live.service, context: { 'ecs:task-definition': pre.revision.arn } },
      // pre's service running live's revision would run with live's task and execution roles, and so live's secrets.
      { action: 'ecs:UpdateService', resource: pre.service, context: { 'ecs:task-definition': live.revision.arn } },
      { action: 'iam:PassRole', resource: live.taskRole, context: toEcsTasks },
      { action: 'iam:PassRole', resource: live.executionRole, context: toEcsTasks },
      { action: 'ssm:GetParameter', resource: live.manifest },
      { action: 'ssm:PutParameter', resource: world.resource('berth-shared', 'Custom::BerthImageTagParameter', /ImageTag/) },
    ];

    // WHEN
    const results = await evaluateAll(ci, requests);

    // THEN
    expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
  });

  test('denies deregistering any revision: DeregisterTaskDefinition cannot be limited to a family', async () => {
    // WHEN
    const results = await evaluateAll(ci, [
      { action: 'ecs:DeregisterTaskDefinition' },
      { action: 'ecs:DeleteTaskDefinitions', resource: live.revision },
      { action: 'ecs:DeleteTaskDefinitions', resource: pre.revision },
    ]);

    // THEN
    expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
  });

  test("denies re-tagging an existing revision, and passing pre's roles to anything but ECS tasks", async () => {
    // WHEN
    const results = await evaluateAll(ci, [
      { action: 'ecs:TagResource', resource: pre.revision, context: tagsOf(pre) },
      { action: 'iam:PassRole', resource: pre.taskRole, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
      { action: 'iam:PassRole', resource: pre.taskRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
    ]);

    // THEN
    expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
  });

  test('denies the roles of another app whose name starts with <app>-pre (its stacks are named <app>-pre-…)', async () => {
    // GIVEN the live task role of an app called "berth-pre" in the same account
    const otherApp: DeployedResource = {
      stack: 'berth-pre-live',
      logicalId: 'ServiceTaskDefinitionTaskRole3BD32B0F',
      type: 'AWS::IAM::Role',
      name: 'berth-pre-live-ServiceTaskDefinitionTaskRole-0123456789AB',
      arn: 'arn:aws:iam::123456789012:role/berth-pre-live-ServiceTaskDefinitionTaskRole-0123456789AB',
      tags: { 'berth:app': 'berth-pre', 'berth:environment': 'live' },
    };

    // WHEN
    const results = await evaluateAll(ci, [{ action: 'iam:PassRole', resource: otherApp, context: toEcsTasks }]);

    // THEN
    expect(results).toEqual([`iam:PassRole ${otherApp.arn}: ImplicitlyDenied`]);
  });
});

// pre with smoke checks: berth deploy pre continues (or rolls back) pre's paused deployment, and never live's.
describe('the pre-deploy role when pre pauses before production traffic, evaluated', () => {
  const world = DeployedStacks.fromBerth(
    synthBerth((raw) => {
      const environments = raw.environments as Record<string, Record<string, unknown>>;
      environments.pre.release = { smoke: [{ path: '/health', status: 200 }] };
    }),
  );
  const ci = world.role('berth-shared', /^DeliveryPreDeployRole/);
  const deploymentOf = (stack: 'berth-pre' | 'berth-live') =>
    world.resource(stack, 'AWS::ECS::Service', /^Service[0-9A-F]{8}$/).arn.replace(':service/', ':service-deployment/') + '/dep1';

  test("may continue and stop pre's deployments", async () => {
    // WHEN
    const results = await evaluateAll(ci, [
      { action: 'ecs:ContinueServiceDeployment', resource: deploymentOf('berth-pre') },
      { action: 'ecs:StopServiceDeployment', resource: deploymentOf('berth-pre') },
    ]);

    // THEN
    expect(results.filter((r) => !r.endsWith(': Allowed'))).toEqual([]);
  });

  test("may not continue or stop live's", async () => {
    // WHEN
    const results = await evaluateAll(ci, [
      { action: 'ecs:ContinueServiceDeployment', resource: deploymentOf('berth-live') },
      { action: 'ecs:StopServiceDeployment', resource: deploymentOf('berth-live') },
    ]);

    // THEN
    expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
  });
});

describe('the pre-deploy role when pre does not pause, evaluated', () => {
  test('cannot continue or stop any deployment', async () => {
    // GIVEN the example: pre neither checks nor asks
    const world = DeployedStacks.fromBerth(synthBerth());
    const ci = world.role('berth-shared', /^DeliveryPreDeployRole/);
    const pre =
      world.resource('berth-pre', 'AWS::ECS::Service', /^Service[0-9A-F]{8}$/).arn.replace(':service/', ':service-deployment/') + '/d';

    // WHEN
    const results = await evaluateAll(ci, [{ action: 'ecs:ContinueServiceDeployment', resource: pre }]);

    // THEN
    expect(results.filter((r) => r.endsWith(': Allowed'))).toEqual([]);
  });
});
