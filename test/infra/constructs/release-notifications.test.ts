import * as fs from 'node:fs';
import * as path from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { type DeployedRole, DeployedStacks, evaluate, evaluateAll, evaluateWithResourcePolicy } from '../../_helpers/iam';
import { synthBerth } from '../../_helpers/synth';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Environments = Record<string, Record<string, unknown>>;

// GIVEN: e-mail on pre; e-mail and a Slack channel on live.
const berth = synthBerth((raw) => {
  const environments = raw.environments as Environments;
  environments.pre.notifications = { email: ['team@example.com'] };
  environments.live.notifications = {
    email: ['releases@example.com', 'oncall@example.com'],
    slack: { workspaceId: 'T0123ABCDE', channelId: 'C0123ABCDE' },
  };
});
const world = DeployedStacks.fromBerth(berth);

const only = (template: Template, type: string, logicalId: RegExp = /./): [string, Resource] => {
  const found = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([id]) => logicalId.test(id));
  expect(found).toHaveLength(1);
  return found[0]!;
};

/** A role of the account that may publish to any topic, as an administrator's or a careless one would. */
const publisherAnywhere: DeployedRole = {
  stack: 'elsewhere',
  logicalId: 'Admin',
  type: 'AWS::IAM::Role',
  name: 'admin',
  arn: 'arn:aws:iam::123456789012:role/admin',
  tags: {},
  policies: [{ name: 'everything', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } }],
};

describe('an environment without notifications', () => {
  test('has no topic, no rule, no function of its own and no output for them', () => {
    // GIVEN
    const plain = synthBerth();

    // THEN
    for (const template of [plain.pre, plain.live]) {
      template.resourceCountIs('AWS::SNS::Topic', 0);
      template.resourceCountIs('AWS::Events::Rule', 0);
      template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
      expect(Object.keys(template.findOutputs('ReleaseNotificationTopicArn'))).toEqual([]);
    }
  });
});

describe.each(['pre', 'live'] as const)('the release notifications of %s', (environment) => {
  const stack = `berth-${environment}`;
  const other = environment === 'pre' ? 'berth-live' : 'berth-pre';
  const template = berth[environment];
  const [topicId, topic] = only(template, 'AWS::SNS::Topic');
  const [keyId, key] = only(template, 'AWS::KMS::Key', /^ReleaseNotifications/);
  const deliveryRule = world.resource(stack, 'AWS::Events::Rule', /DeliveryRule/);
  const failureRule = world.resource(stack, 'AWS::Events::Rule', /FailureRule/);
  const deploymentRule = world.resource(stack, 'AWS::Events::Rule', /DeploymentRule/);
  const topicArn = world.physicalId(stack, topicId);
  const topicPolicy = world.policyOf(stack, 'AWS::SNS::TopicPolicy', /ReleaseNotifications/, 'PolicyDocument');
  const keyPolicy = world.policyOf(stack, 'AWS::KMS::Key', /^ReleaseNotificationsKey/, 'KeyPolicy');

  test('the topic is encrypted with its own rotated key, and refuses requests without TLS', () => {
    // THEN
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const statements = topicPolicy.Statement as { Effect: string; Condition?: Record<string, Record<string, unknown>> }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
  });

  test('only EventBridge publishes to the topic, and only through the delivery rules', async () => {
    // GIVEN
    const publish = (sourceArn: string) => ({ action: 'sns:Publish', resource: topicArn, context: { 'aws:SourceArn': sourceArn } });
    const otherDeliveryRule = world.resource(other, 'AWS::Events::Rule', /DeliveryRule/);

    // THEN
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', topicPolicy, publish(deliveryRule.arn))).toBe('Allowed');
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', topicPolicy, publish(failureRule.arn))).toBe('Allowed');
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', topicPolicy, publish(deploymentRule.arn))).not.toBe('Allowed');
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', topicPolicy, publish(otherDeliveryRule.arn))).not.toBe('Allowed');
    expect(
      await evaluateWithResourcePolicy('events.amazonaws.com', topicPolicy, publish(`arn:aws:events:eu-west-1:210987654321:rule/x`)),
    ).not.toBe('Allowed');
    // another service, through the same rule's name, gets nothing.
    expect(await evaluateWithResourcePolicy('sns.amazonaws.com', topicPolicy, publish(deliveryRule.arn))).not.toBe('Allowed');
  });

  test('no role of the account publishes to the topic, the function’s and an administrator’s included', async () => {
    // GIVEN
    const functionRole = world.role(stack, /ReleaseNotificationsFunctionRole/);

    // THEN
    expect(await evaluateWithResourcePolicy(functionRole, topicPolicy, { action: 'sns:Publish', resource: topicArn })).toBe(
      'ExplicitlyDenied',
    );
    expect(await evaluateWithResourcePolicy(publisherAnywhere, topicPolicy, { action: 'sns:Publish', resource: topicArn })).toBe(
      'ExplicitlyDenied',
    );
    // the account still manages its topic: a subscription is not a publish.
    expect(await evaluateWithResourcePolicy(publisherAnywhere, topicPolicy, { action: 'sns:Subscribe', resource: topicArn })).toBe(
      'Allowed',
    );
  });

  test('EventBridge may use the key to publish, and nothing more; no other service may use it at all', async () => {
    // GIVEN
    const keyArn = world.resource(stack, 'AWS::KMS::Key', /^ReleaseNotificationsKey/).arn;
    const use = (action: string) => ({ action, resource: keyArn });

    // THEN
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', keyPolicy, use('kms:GenerateDataKey'))).toBe('Allowed');
    expect(await evaluateWithResourcePolicy('events.amazonaws.com', keyPolicy, use('kms:Decrypt'))).toBe('Allowed');
    for (const action of ['kms:Encrypt', 'kms:ReEncryptFrom', 'kms:CreateGrant', 'kms:ScheduleKeyDeletion', 'kms:PutKeyPolicy']) {
      expect(await evaluateWithResourcePolicy('events.amazonaws.com', keyPolicy, use(action))).not.toBe('Allowed');
    }
    for (const service of ['sns.amazonaws.com', 'lambda.amazonaws.com', 'chatbot.amazonaws.com'] as const) {
      expect(await evaluateWithResourcePolicy(service, keyPolicy, use('kms:Decrypt'))).not.toBe('Allowed');
    }
  });

  test('every e-mail address of the environment subscribes to the topic, and nothing else does by e-mail', () => {
    // GIVEN
    const addresses = environment === 'pre' ? ['team@example.com'] : ['releases@example.com', 'oncall@example.com'];
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription') as Record<string, Resource>);

    // THEN
    expect(subscriptions.map((s) => s.Properties)).toEqual(
      addresses.map((address) => ({ Protocol: 'email', Endpoint: address, TopicArn: { Ref: topicId } })),
    );
  });

  test('the deployment rule takes the deployment state changes of this environment’s service only, to the function', () => {
    // GIVEN
    const [serviceId] = only(template, 'AWS::ECS::Service');
    const [functionId] = only(template, 'AWS::Lambda::Function', /^ReleaseNotificationsFunction/);

    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.ecs'], 'detail-type': ['ECS Deployment State Change'], resources: [{ Ref: serviceId }] },
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId, 'Arn'] } })],
    });
    // EventBridge may invoke the function for that rule only.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [deploymentRule.logicalId, 'Arn'] },
    });
  });

  test('the function’s results reach the topic through its on-success destination and the delivery rule, as the message alone', () => {
    // GIVEN
    const [functionId, fn] = only(template, 'AWS::Lambda::Function', /^ReleaseNotificationsFunction/);
    const functionArn = { 'Fn::GetAtt': [functionId, 'Arn'] };

    // THEN
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionId },
      Qualifier: '$LATEST',
      DestinationConfig: {
        OnSuccess: { Destination: Match.anyValue() },
        OnFailure: { Destination: Match.anyValue() },
      },
    });
    const [, invokeConfig] = only(template, 'AWS::Lambda::EventInvokeConfig');
    const { OnSuccess, OnFailure } = invokeConfig.Properties.DestinationConfig as Record<string, { Destination: unknown }>;
    expect(world.resolve(stack, OnSuccess!.Destination)).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/default');
    expect(world.resolve(stack, OnFailure!.Destination)).toBe('arn:aws:events:eu-west-1:123456789012:event-bus/default');
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['lambda'],
        'detail-type': ['Lambda Function Invocation Result - Success'],
        detail: { requestContext: { functionArn: [functionArn, { prefix: { 'Fn::Join': ['', [functionArn, ':']] } }] } },
      },
      Targets: [{ Arn: { Ref: topicId }, Id: Match.anyValue(), InputPath: '$.detail.responsePayload' }],
    });
    expect(fn.Properties.Environment).toEqual({ Variables: { BERTH_ENVIRONMENT: environment, BERTH_CONTAINER_NAME: 'app' } });
  });

  test('when the function fails every attempt, the failure rule sends what ECS’s event says, as a valid Chatbot message', () => {
    // GIVEN the invocation record Lambda puts on the bus after the retries (its requestPayload is ECS's event)
    const [functionId] = only(template, 'AWS::Lambda::Function', /^ReleaseNotificationsFunction/);
    const [, rule] = only(template, 'AWS::Events::Rule', /FailureRule/);
    const record = {
      detail: {
        requestContext: { condition: 'RetriesExhausted' },
        requestPayload: {
          time: '2026-12-03T07:00:00Z',
          detail: { eventName: 'SERVICE_DEPLOYMENT_COMPLETED', deploymentId: 'ecs-svc/1234567890' },
        },
      },
    };
    const targets = rule.Properties.Targets as {
      Arn: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }[];
    const { InputPathsMap, InputTemplate } = targets[0]!.InputTransformer;

    // WHEN the template is filled as EventBridge fills it: a bare placeholder takes the JSON value, one in a string the text
    const valueAt = (path: string) =>
      path
        .slice(2)
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], record);
    const filled = Object.entries(InputPathsMap).reduce(
      (text, [name, path]) =>
        text.replaceAll(`":<${name}>`, `":${JSON.stringify(valueAt(path))}`).replaceAll(`<${name}>`, String(valueAt(path))),
      InputTemplate,
    );

    // THEN
    expect(targets.map((target) => target.Arn)).toEqual([{ Ref: topicId }]);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['lambda'],
        detail: {
          requestContext: {
            functionArn: [{ 'Fn::GetAtt': [functionId, 'Arn'] }, Match.anyValue()],
            condition: [{ 'anything-but': ['Success'] }],
          },
        },
      }),
    });
    expect(JSON.parse(filled)).toEqual({
      version: '1.0',
      source: 'custom',
      id: 'ecs-svc/1234567890/SERVICE_DEPLOYMENT_COMPLETED',
      content: {
        textType: 'client-markdown',
        title: `${environment}: SERVICE_DEPLOYMENT_COMPLETED`,
        description: [
          `environment: ${environment}`,
          'event: SERVICE_DEPLOYMENT_COMPLETED',
          'details: the release notification function failed (RetriesExhausted); its log group says why',
          'deployment: ecs-svc/1234567890 at 2026-12-03T07:00:00Z',
        ].join('\n'),
      },
      metadata: {
        threadId: 'ecs-svc/1234567890',
        summary: `${environment}: SERVICE_DEPLOYMENT_COMPLETED`,
        eventType: 'SERVICE_DEPLOYMENT_COMPLETED',
      },
    });
  });

  test('the function reads this environment’s service, deployments and revisions, and nothing of the other', async () => {
    // GIVEN
    const role = world.role(stack, /ReleaseNotificationsFunctionRole/);
    const service = world.resource(stack, 'AWS::ECS::Service', /Service/);
    const otherService = world.resource(other, 'AWS::ECS::Service', /Service/);
    const revisionOf = (s: typeof service) => s.arn.replace(':service/', ':service-revision/') + '/1234567890';

    // WHEN
    const results = await evaluateAll(role, [
      { action: 'ecs:DescribeServices', resource: service },
      { action: 'ecs:ListServiceDeployments', resource: service },
      { action: 'ecs:DescribeServiceRevisions', resource: revisionOf(service) },
      { action: 'ecs:DescribeTaskDefinition' },
      { action: 'ecs:DescribeServices', resource: otherService },
      { action: 'ecs:ListServiceDeployments', resource: otherService },
      { action: 'ecs:DescribeServiceRevisions', resource: revisionOf(otherService) },
      { action: 'ecs:UpdateService', resource: service },
      { action: 'ecs:RegisterTaskDefinition', resource: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-live:99' },
      { action: 'sns:Publish', resource: topicArn },
    ]);

    // THEN
    expect(results.map((line) => line.replace(/ \S+: /, ': '))).toEqual([
      'ecs:DescribeServices: Allowed',
      'ecs:ListServiceDeployments: Allowed',
      'ecs:DescribeServiceRevisions: Allowed',
      'ecs:DescribeTaskDefinition: Allowed',
      'ecs:DescribeServices: ImplicitlyDenied',
      'ecs:ListServiceDeployments: ImplicitlyDenied',
      'ecs:DescribeServiceRevisions: ImplicitlyDenied',
      'ecs:UpdateService: ImplicitlyDenied',
      'ecs:RegisterTaskDefinition: ImplicitlyDenied',
      'sns:Publish: ImplicitlyDenied',
    ]);
  });

  test('the stack outputs the topic', () => {
    // THEN
    template.hasOutput('ReleaseNotificationTopicArn', { Value: { Ref: topicId } });
  });
});

describe('the Slack channel', () => {
  test('pre, with e-mail only, has none', () => {
    // THEN
    berth.pre.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });

  test('live’s receives the topic in the configured workspace and channel', () => {
    // GIVEN
    const [topicId] = only(berth.live, 'AWS::SNS::Topic');
    const [guardrailId] = only(berth.live, 'AWS::IAM::ManagedPolicy', /SlackChannelGuardrail/);
    const [roleId] = only(berth.live, 'AWS::IAM::Role', /SlackChannelRole/);

    // THEN
    berth.live.hasResourceProperties('AWS::Chatbot::SlackChannelConfiguration', {
      ConfigurationName: 'berth-live-releases',
      SlackWorkspaceId: 'T0123ABCDE',
      SlackChannelId: 'C0123ABCDE',
      SnsTopicArns: [{ Ref: topicId }],
      IamRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
      GuardrailPolicies: [{ Ref: guardrailId }],
    });
  });

  test('can run nothing: its role has no permission, and its guardrail denies every action to any role', async () => {
    // GIVEN
    const role = world.role('berth-live', /SlackChannelRole/);
    const guardrail = world.policyOf('berth-live', 'AWS::IAM::ManagedPolicy', /SlackChannelGuardrail/, 'PolicyDocument');
    // a channel member's own role, however broad, is capped by the guardrail (Chatbot applies both).
    const capped: DeployedRole = {
      ...publisherAnywhere,
      policies: [...publisherAnywhere.policies, { name: 'guardrail', document: guardrail }],
    };
    const requests = [
      { action: 'ecs:UpdateService', resource: world.resource('berth-live', 'AWS::ECS::Service', /Service/) },
      { action: 'cloudwatch:DescribeAlarms' },
      { action: 'lambda:InvokeFunction', resource: 'arn:aws:lambda:eu-west-1:123456789012:function:anything' },
    ];

    // THEN
    expect(role.policies).toEqual([]);
    for (const request of requests) {
      expect(await evaluate(role, request)).toBe('ImplicitlyDenied');
      expect(await evaluate(capped, request)).toBe('ExplicitlyDenied');
    }
  });
});

describe('the function’s code', () => {
  test('is the release notification bundle, not the bundle of the stack’s custom resources from the same directory', () => {
    // GIVEN
    const code = (logicalId: RegExp) =>
      (only(berth.live, 'AWS::Lambda::Function', logicalId)[1].Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const bundle = (hash: string) => fs.readFileSync(path.join(berth.app.outdir, `asset.${hash}`, 'index.js'), 'utf8');

    // WHEN
    const notification = code(/^ReleaseNotificationsFunction/);
    const customResources = code(/^BerthHandlerFunction/);

    // THEN
    expect(notification).not.toBe(customResources);
    expect(bundle(notification)).toContain('BERTH_CONTAINER_NAME');
    expect(bundle(notification)).toContain('DescribeServiceRevisionsCommand');
    expect(bundle(notification)).not.toContain('Custom::BerthListenerRule');
    expect(bundle(customResources)).toContain('Custom::BerthListenerRule');
  });
});

describe('the stateful resources', () => {
  test('keep their logical ids, so a refactor cannot replace the topic (whose subscribers confirmed), its key or the channel', () => {
    // GIVEN
    const ids = (type: string) => Object.keys(berth.live.findResources(type)).filter((id) => id.startsWith('ReleaseNotifications'));

    // THEN
    expect(ids('AWS::SNS::Topic')).toEqual(['ReleaseNotificationsTopic368FCC81']);
    expect(ids('AWS::KMS::Key')).toEqual(['ReleaseNotificationsKey3A6D9EE1']);
    expect(ids('AWS::Chatbot::SlackChannelConfiguration')).toEqual(['ReleaseNotificationsSlackChannel8C363ACB']);
  });
});
