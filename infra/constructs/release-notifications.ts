import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { denyGrantsToPeople } from './logs-key';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { EnvironmentName, NotificationsConfig } from '../config';
import { CONTAINER_NAME_VARIABLE, ENVIRONMENT_NAME_VARIABLE } from '../handlers/release-notification';
import { handlerCode } from './handler-function';

/** Properties of {@link ReleaseNotifications}. */
export interface ReleaseNotificationsProps {
  /** the app's name, for the Slack channel configuration's name. */
  readonly appName: string;
  /** the environment whose releases are announced. */
  readonly environmentName: EnvironmentName;
  /** who hears of them, from config. */
  readonly notifications: NotificationsConfig;
  /** the environment's service: only its deployments are announced. */
  readonly service: ecs.BaseService;
  /** the service's cluster. */
  readonly cluster: ecs.ICluster;
  /** the application container, whose image a message names. */
  readonly containerName: string;
  /** the key the function's log group is encrypted with. */
  readonly logsKey: kms.IKey;
}

/** The event ECS sends at each change of a service deployment (AmazonECS developer guide, ecs_service_deployment_events). */
const DEPLOYMENT_STATE_CHANGE = 'ECS Deployment State Change';

/**
 * The event Lambda puts on an EventBridge bus for a successful asynchronous invocation, with the invocation record
 * (and the function's result as `responsePayload`) in `detail` (aws-cdk-lib aws-lambda-destinations README,
 * "Destination-specific JSON format"; Lambda developer guide, invocation-async-retain-records).
 */
const INVOCATION_SUCCEEDED = 'Lambda Function Invocation Result - Success';

/**
 * The message when the function failed: what ECS's event says, in Chatbot's custom notification format (as
 * infra/handlers/release-notification.ts writes it), from the invocation record's `requestPayload` (the event) by an
 * input transformer. Only fields of a fixed shape are used (names, ids, a time), so the JSON stays valid.
 */
function fallbackMessage(environmentName: EnvironmentName): events.RuleTargetInput {
  const field = (path: string) => events.EventField.fromPath(path);
  const eventName = field('$.detail.requestPayload.detail.eventName');
  const deploymentId = field('$.detail.requestPayload.detail.deploymentId');
  const title = `${environmentName}: ${eventName}`;
  return events.RuleTargetInput.fromObject({
    version: '1.0',
    source: 'custom',
    id: `${deploymentId}/${eventName}`,
    content: {
      textType: 'client-markdown',
      title,
      description: [
        `environment: ${environmentName}`,
        `event: ${eventName}`,
        `details: the release notification function failed (${field('$.detail.requestContext.condition')}); its log group says why`,
        `deployment: ${deploymentId} at ${field('$.detail.requestPayload.time')}`,
      ].join('\n'),
    },
    metadata: { threadId: deploymentId, summary: title, eventType: eventName },
  });
}

/**
 * Release notifications of one environment (issue 14): ECS's deployment state changes of the environment's service
 * reach an encrypted SNS topic, which mails its subscribers and feeds an AWS Chatbot Slack channel.
 *
 * The path: a rule on the default bus takes the service's "ECS Deployment State Change" events and invokes a function
 * that reads the revision the deployment rolls to and returns the message. EventBridge invokes Lambda asynchronously
 * (Lambda developer guide, "Invoking a Lambda function asynchronously": EventBridge is one of the services that do),
 * so the function's on-success destination applies: Lambda puts the result on the default bus, and a second rule,
 * for this function's results only, sends `responsePayload` to the topic. The function itself may not publish:
 * the topic's policy lets EventBridge publish through that second rule (and a third, which sends what the event alone
 * says when the function failed every attempt) and denies every other publisher.
 */
export class ReleaseNotifications extends Construct {
  /** the topic's own key, rotated yearly. */
  readonly key: kms.Key;
  /** the topic every message goes to. */
  readonly topic: sns.Topic;
  /** the function that writes a message from ECS's event. */
  readonly function: lambda.Function;
  /** the function's role: read the service, its deployments and revisions, and task definitions. */
  readonly functionRole: iam.Role;
  /** the rule that takes the service's deployment state changes to the function. */
  readonly deploymentRule: events.Rule;
  /** the rule that takes the function's results to the topic; with {@link failureRule}, the only publishers the topic admits. */
  readonly deliveryRule: events.Rule;
  /** the rule that sends what the event alone says when the function failed (timed out, crashed) every attempt. */
  readonly failureRule: events.Rule;
  /** the Slack channel, when config names one. */
  readonly slackChannel?: chatbot.SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: ReleaseNotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { environmentName, notifications, service, cluster } = props;

    this.key = new kms.Key(this, 'Key', {
      description: `berth: encrypts the ${environmentName} release notifications`,
      enableKeyRotation: true,
    });
    // EventBridge needs the key to publish to an encrypted topic (SNS developer guide, "Key management", compatibility
    // between event sources from AWS services and encrypted topics). That page also says aws:SourceAccount and
    // aws:SourceArn are not supported in a key policy for EventBridge-to-encrypted-topic delivery (quoted in
    // awslabs/landing-zone-accelerator-on-aws#407, whose notifications stopped with them), so the statement names
    // no source: the key encrypts this one topic, and the topic's policy decides who publishes.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EventBridgePublishesToTheTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
    // only AWS services may create grants on the key, never a person or a role.
    denyGrantsToPeople(this.key);

    this.topic = new sns.Topic(this, 'Topic', {
      // the sender's name in the mails.
      displayName: `berth ${props.appName} ${environmentName} releases`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const address of notifications.email ?? []) this.topic.addSubscription(new subscriptions.EmailSubscription(address));

    const logGroup = new logs.LogGroup(this, 'FunctionLogGroup', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: props.logsKey });
    this.functionRole = new iam.Role(this, 'FunctionRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `berth ${stack.stackName}: reads the revision a deployment of the ${environmentName} service rolls to, for its release notification`,
    });
    logGroup.grantWrite(this.functionRole);
    this.grantReadDeployments(service, cluster);
    this.function = new lambda.Function(this, 'Function', {
      description: `berth: writes the ${environmentName} release notifications from ECS's deployment state changes`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: handlerCode('release-notification.ts'),
      role: this.functionRole,
      logGroup,
      timeout: Duration.seconds(30),
      memorySize: 256,
      environment: { [ENVIRONMENT_NAME_VARIABLE]: environmentName, [CONTAINER_NAME_VARIABLE]: props.containerName },
      // the result goes to the default bus, and so does a failure after the retries; the function is never given the topic.
      onSuccess: new destinations.EventBridgeDestination(),
      onFailure: new destinations.EventBridgeDestination(),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    Validations.of(this.function).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'the function only calls the ECS API; in the VPC it would need NAT, which the low-cost layout has not.',
    });

    this.deploymentRule = new events.Rule(this, 'DeploymentRule', {
      description: `berth: the ${environmentName} service's deployment state changes, to the release notification function`,
      eventPattern: { source: ['aws.ecs'], detailType: [DEPLOYMENT_STATE_CHANGE], resources: [service.serviceArn] },
      targets: [new targets.LambdaFunction(this.function)],
    });

    // the invocation record names the function with its qualifier (`…:function:<name>:$LATEST`).
    const thisFunction = { requestContext: { functionArn: [this.function.functionArn, { prefix: `${this.function.functionArn}:` }] } };
    this.deliveryRule = new events.Rule(this, 'DeliveryRule', {
      description: `berth: the ${environmentName} release notification function's messages, to the release topic`,
      eventPattern: { source: ['lambda'], detailType: [INVOCATION_SUCCEEDED], detail: thisFunction },
    });
    // a target of its own: aws-events-targets' SnsTopic would grant events.amazonaws.com the topic and the key
    // without naming the rule.
    this.deliveryRule.addTarget({
      bind: () => ({ arn: this.topic.topicArn, input: events.RuleTargetInput.fromEventPath('$.detail.responsePayload') }),
    });
    this.failureRule = new events.Rule(this, 'FailureRule', {
      description: `berth: ECS's event, when the ${environmentName} release notification function failed, to the release topic`,
      eventPattern: {
        source: ['lambda'],
        // a failure's record has the condition RetriesExhausted or EventAgeExceeded, a success's Success (Lambda
        // developer guide, invocation records); the condition, not the detail type's spelling, tells them apart.
        detailType: events.Match.prefix('Lambda Function Invocation Result'),
        detail: { requestContext: { ...thisFunction.requestContext, condition: events.Match.anythingBut('Success') } },
      },
    });
    this.failureRule.addTarget({ bind: () => ({ arn: this.topic.topicArn, input: fallbackMessage(environmentName) }) });
    this.admitOnlyTheDeliveryRule();

    if (notifications.slack) this.slackChannel = this.slackChannelFor(props.appName, environmentName, notifications.slack);
  }

  /** DescribeServices and ListServiceDeployments on the service, DescribeServiceRevisions on its revisions, DescribeTaskDefinition. */
  private grantReadDeployments(service: ecs.BaseService, cluster: ecs.ICluster): void {
    const stack = Stack.of(this);
    const revisions = `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:service-revision/${cluster.clusterName}/${service.serviceName}/*`;
    this.functionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'], resources: [service.serviceArn] }),
    );
    this.functionRole.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ecs:DescribeServiceRevisions'], resources: [service.serviceArn, revisions] }),
    );
    // DescribeTaskDefinition has no resource type (Service Authorization Reference for Amazon ECS): `*` or nothing.
    this.functionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecs:DescribeTaskDefinition'], resources: ['*'] }));
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    Validations.of(this.functionRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'ecs:DescribeTaskDefinition has no resource-level permissions; it reads the revision a deployment rolls to.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${stack.region}:${stack.account}:service-revision/<${logicalId(cluster)}>/<${logicalId(service)}.Name>/*]`,
        reason: "the revisions of the environment's own service; their ids are assigned by ECS at each deployment.",
      },
    );
  }

  /** The topic's policy: EventBridge publishes through the two delivery rules, and no other principal publishes at all. */
  private admitOnlyTheDeliveryRule(): void {
    // EventBridge's form of an SNS target's permission (EventBridge user guide, resource-based policies, Amazon SNS).
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'TheDeliveryRulesPublish',
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': [this.deliveryRule.ruleArn, this.failureRule.ruleArn] } },
      }),
    );
    // an identity policy would otherwise let any role of the account publish (the function's included).
    // aws:PrincipalIsAWSService is in every signed request, false for an IAM principal and true for a service
    // principal such as EventBridge's (IAM user guide, global condition context keys). Denying on false fails safe:
    // were the key ever missing from EventBridge's request, Bool would not match and the release would still be
    // announced, where a deny on a missing aws:PrincipalServiceName would silence every message.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NothingElsePublishes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { Bool: { 'aws:PrincipalIsAWSService': 'false' } },
      }),
    );
  }

  /** The Slack channel, subscribed to the topic, whose role and guardrail allow nothing: it only receives messages. */
  private slackChannelFor(
    appName: string,
    environmentName: EnvironmentName,
    slack: NonNullable<NotificationsConfig['slack']>,
  ): chatbot.SlackChannelConfiguration {
    const role = new iam.Role(this, 'SlackChannelRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: `berth ${Stack.of(this).stackName}: the ${environmentName} release channel's role, with no permissions`,
    });
    // the channel guardrail caps what anyone may run from the channel, whatever a role allows; without one aws-cdk-lib
    // applies AdministratorAccess (SlackChannelConfigurationProps.guardrailPolicies).
    const guardrail = new iam.ManagedPolicy(this, 'SlackChannelGuardrail', {
      description: `berth: the ${environmentName} release channel receives notifications and runs nothing`,
      statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })],
    });
    return new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
      // the name the Amazon Q Developer console lists the channel under.
      slackChannelConfigurationName: `${appName}-${environmentName}-releases`,
      slackWorkspaceId: slack.workspaceId,
      slackChannelId: slack.channelId,
      notificationTopics: [this.topic],
      role,
      guardrailPolicies: [guardrail],
    });
  }
}
