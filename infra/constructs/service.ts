import { AspectPriority, Aspects, type CfnElement, type CfnResource, Duration, type IAspect, Lazy, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { releasePauseMinutes } from '../config/resolve';
import { SCALE_IN_PROTECTION_RESOURCE_TYPE, type ScaleInProtectionProperties } from '../handlers/scale-in-protection';
import { HandlerFunction } from './handler-function';

/** Name of the application container in every task definition; the CLI finds it through the manifest. */
export const APP_CONTAINER_NAME = 'app';

/** Properties of {@link Service}. */
export interface ServiceProps {
  /** the app name; the task-definition family is `<app>-<environment>`. */
  readonly appName: string;
  /** the environment's settings. */
  readonly environment: EnvironmentConfig;
  /** the environment's cluster. */
  readonly cluster: ecs.ICluster;
  /** the capacity provider tasks are placed through. */
  readonly capacityProvider: ecs.AsgCapacityProvider;
  /** the VPC the tasks' network interfaces live in. */
  readonly vpc: ec2.IVpc;
  /** the subnets of the tasks' network interfaces: the instances' subnets. */
  readonly subnets: ec2.SubnetSelection;
  /** the repository the image comes from. */
  readonly repository: ecr.IRepository;
  /** the image tag; a plain tag, or a token such as a CloudFormation dynamic reference. */
  readonly imageTag: string;
  /** the key the application log group is encrypted with. */
  readonly logsKey: kms.IKey;
  /** the blue target group; the load balancer reaches the tasks through it and green on the same port. */
  readonly blueTargetGroup: elbv2.IApplicationTargetGroup;
  /** the target group production is served from at this deployment (read from the live production rule). */
  readonly servingTargetGroupArn: string;
  /** the other target group, where a release's new tasks are registered. */
  readonly idleTargetGroupArn: string;
  /** ARN of the listener rule that carries production traffic. */
  readonly productionRuleArn: string;
  /** ARN of the listener rule that reaches the new tasks before traffic shifts. */
  readonly testRuleArn: string;
  /**
   * the production rule's custom resource: it is updated whenever the service is, so that the target groups the
   * service update names come from the live rule.
   */
  readonly productionRule: Construct;
  /** names of the alarms that roll a release back while it deploys or bakes. */
  readonly deploymentAlarmNames: readonly string[];
  /**
   * more security groups the tasks join, e.g. the database clients' group, which the database admits.
   * @default - only the tasks' own group
   */
  readonly additionalSecurityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * how long application logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The application of one environment: its task definition (one `app` container on awsvpc), the tasks'
 * security group and the ECS service, released with ECS-native blue/green deployments between the blue
 * and green target groups, with the deployment circuit breaker and alarms rolling a bad release back.
 */
export class Service extends Construct {
  /** the task definition, family `<app>-<environment>`; later revisions are registered by `berth promote`. */
  readonly taskDefinition: ecs.Ec2TaskDefinition;
  /** the application container, named {@link APP_CONTAINER_NAME}. */
  readonly appContainer: ecs.ContainerDefinition;
  /** the tasks' security group: inbound only from the load balancer, on the container port. */
  readonly securityGroup: ec2.SecurityGroup;
  /** the ECS service. */
  readonly service: ecs.Ec2Service;
  /** where the application container logs. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceProps) {
    super(scope, id);
    const { environment } = props;
    const { container } = environment;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logsKey,
    });

    this.taskDefinition = new ecs.Ec2TaskDefinition(this, 'TaskDefinition', {
      // separate families: a rollback picks the previous revision of its own environment, never the other's.
      family: `${props.appName}-${environment.name}`,
      // ECS blue/green registers tasks in IP target groups, which needs a task-level network interface.
      networkMode: ecs.NetworkMode.AWS_VPC,
    });

    const secrets = Object.fromEntries(Object.entries(container.secrets).map(([name, arn]) => [name, secretFor(this, name, arn)]));
    this.appContainer = this.taskDefinition.addContainer('App', {
      containerName: APP_CONTAINER_NAME,
      image: ecs.ContainerImage.fromEcrRepository(props.repository, props.imageTag),
      cpu: container.cpu,
      memoryLimitMiB: container.memoryMiB,
      essential: true,
      portMappings: [{ containerPort: container.port, protocol: ecs.Protocol.TCP, name: 'http' }],
      healthCheck: {
        command: ['CMD-SHELL', container.healthCheck.command],
        interval: Duration.seconds(container.healthCheck.intervalSeconds),
        timeout: Duration.seconds(container.healthCheck.timeoutSeconds),
        retries: container.healthCheck.retries,
        startPeriod: Duration.seconds(container.healthCheck.startPeriodSeconds),
      },
      stopTimeout: Duration.seconds(container.stopTimeoutSeconds),
      environment: { ...container.environment },
      secrets,
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: APP_CONTAINER_NAME }),
    });
    Validations.of(this.taskDefinition).acknowledge(
      {
        id: 'AwsSolutions-ECS2',
        reason:
          'environment holds only the non-secret settings from config; every secret is injected through `secrets` from Secrets Manager or SSM.',
      },
      {
        id: 'cdk-validator-cfnguard::ecs_containers_readonly_access_check',
        reason: 'ECS Exec, which operators need at 2 a.m., does not work with a read-only root file system.',
      },
      {
        id: 'cdk-validator-cfnguard::ecs_task_definition_nonroot_user_check',
        reason: "the user is the image's own (USER in its Dockerfile), which berth cannot know; the README asks for a non-root USER.",
      },
    );
    const executionRole = this.taskDefinition.obtainExecutionRole();
    Validations.of(executionRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ecr:GetAuthorizationToken, which every image pull needs, has no resource-level permissions; the pull itself is limited to the repository.',
    });

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `berth ${environment.name} tasks: inbound only from the load balancer on the container port`,
      // the application, ECS Exec (ssmmessages) and Secrets Manager are reached over NAT or endpoints.
      allowAllOutbound: true,
    });

    this.service = new ecs.Ec2Service(this, 'Service', {
      cluster: props.cluster,
      taskDefinition: this.taskDefinition,
      // the berth CLI registers release revisions outside CloudFormation. Naming the family (its latest
      // ACTIVE revision) instead of CloudFormation's own revision means a later `cdk deploy` that changes
      // the service keeps the released image; after a failed release the CLI registers a copy of what runs,
      // so the newest is never the failed one.
      taskDefinitionRevision: ecs.TaskDefinitionRevision.LATEST,
      // and when `cdk deploy` does change the task definition, its new ARN forces the deployment that
      // rolls it out (the service's own properties would not change).
      forceNewDeployment: { enabled: true, nonce: this.taskDefinition.taskDefinitionArn },
      // with auto-scaling the template names no count: CloudFormation then leaves it out of every update, so a
      // deploy never resets what Application Auto Scaling set (see TaskScaling for the starting count).
      ...(environment.autoScaling ? {} : { desiredCount: environment.desiredTaskCount }),
      capacityProviderStrategies: [{ capacityProvider: props.capacityProvider.capacityProviderName, weight: 1 }],
      securityGroups: [this.securityGroup, ...(props.additionalSecurityGroups ?? [])],
      vpcSubnets: props.subnets,
      placementStrategies: [ecs.PlacementStrategy.spreadAcross(ecs.BuiltInAttributes.AVAILABILITY_ZONE)],
      // green starts at full size next to blue, so production never runs on fewer tasks than desired.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      healthCheckGracePeriod: Duration.seconds(container.healthCheck.startPeriodSeconds),
      ...deploymentStrategyProps(environment),
      bakeTime: Duration.minutes(environment.bakeMinutes),
      circuitBreaker: { enable: true, rollback: true },
      deploymentAlarms: { alarmNames: [...props.deploymentAlarmNames], behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
      enableExecuteCommand: true,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      enableECSManagedTags: true,
    });

    // the gate before production traffic: a PAUSE hook, which the L2's lifecycleHooks cannot express (its targets
    // bind to a Lambda ARN and a role; PAUSE takes neither: ECS API reference, DeploymentLifecycleHook, and the
    // developer guide's pause-lifecycle-hooks example). Set on the L1 property, not as a raw override, so the
    // production rule's ServiceUpdate trigger sees it (a change of the timeout is a change of the service).
    // The deployment alarms stay armed at every step of canary and linear: they are the service's, not a step's.
    const pauseMinutes = releasePauseMinutes(environment);
    if (pauseMinutes !== undefined) {
      const cfn = this.service.node.defaultChild as ecs.CfnService;
      cfn.deploymentConfiguration = {
        ...(cfn.deploymentConfiguration as ecs.CfnService.DeploymentConfigurationProperty),
        lifecycleHooks: [
          {
            targetType: 'PAUSE',
            lifecycleStages: ['POST_TEST_TRAFFIC_SHIFT'],
            // nobody continues (Ctrl-C, CI died, a `cdk deploy` started it): the safe way out is back.
            timeoutConfiguration: { action: 'ROLLBACK', timeoutInMinutes: pauseMinutes },
          },
        ],
      };
    }

    // deleting the stack must be able to terminate the instances that managed termination protection protects from
    // scale-in (aws/aws-cdk#18179): CloudFormation deletes this resource after the service and before the group.
    const handler = HandlerFunction.of(this, { logsKey: props.logsKey });
    const group = props.capacityProvider.autoScalingGroup;
    const { partition, region, account } = Stack.of(this);
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:SetInstanceProtection'],
        resources: [
          `arn:${partition}:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/${group.autoScalingGroupName}`,
        ],
      }),
    );
    // neither has resource-level permissions (Service Authorization Reference); ListServices is held to this cluster.
    handler.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['autoscaling:DescribeAutoScalingGroups'], resources: ['*'] }));
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:ListServices'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': props.cluster.clusterArn } },
      }),
    );
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:DescribeServices'],
        resources: [`arn:${partition}:ecs:${region}:${account}:service/${props.cluster.clusterName}/*`],
      }),
    );
    const logicalId = (construct: IConstruct) => Stack.of(this).getLogicalId(construct.node.defaultChild as CfnElement);
    Validations.of(handler.role).acknowledge(
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:autoscaling:${region}:${account}:autoScalingGroup:*:autoScalingGroupName/<${logicalId(group)}>]`,
        reason: "the environment's Auto Scaling group only; the id in its ARN is assigned by Auto Scaling and IAM accepts any.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:${account}:service/<${logicalId(props.cluster)}>/*]`,
        reason: "the services of the environment's cluster, to see whether any still runs before the instances lose their protection.",
      },
    );
    const protection = handler.resource(this, 'ScaleInProtection', SCALE_IN_PROTECTION_RESOURCE_TYPE, {
      AutoScalingGroupName: group.autoScalingGroupName,
      Cluster: props.cluster.clusterName,
    } satisfies ScaleInProtectionProperties);
    protection.node.addDependency(handler.role);
    (this.service.node.defaultChild as CfnResource).node.addDependency(protection);

    // the strategy names the capacity provider, which only the cluster's association makes usable: without this
    // dependency CloudFormation may create the service first (ECS refuses it) or, on teardown, delete the
    // association while the service still places tasks through it (aws/containers-roadmap#631). The association is
    // created by an aspect of the cluster at synth time, so the dependency is added by an aspect that runs after it.
    Aspects.of(Stack.of(this)).add(new DependOnCapacityProviderAssociations(this.service), { priority: AspectPriority.MUTATING + 1 });

    const target = this.service.loadBalancerTarget({
      containerName: APP_CONTAINER_NAME,
      containerPort: container.port,
      protocol: ecs.Protocol.TCP,
      alternateTarget: new LiveAlternateTarget({
        alternateTargetGroupArn: props.idleTargetGroupArn,
        productionRuleArn: props.productionRuleArn,
        testRuleArn: props.testRuleArn,
      }),
    });
    // this also admits the load balancer's security group to the tasks' on the container port, and nothing else.
    target.attachToApplicationTargetGroup(props.blueTargetGroup);
    // ECS blue/green swaps which group serves at every release. The service names the groups as the live production
    // rule has them now, not blue and green as at creation, so an update of the service never hands ECS roles that
    // contradict the rules (see README, "Traffic and releases"). The production rule's resource is updated whenever
    // the service is, so these values are read at that deployment.
    const cfnService = this.service.node.defaultChild as ecs.CfnService;
    cfnService.addPropertyOverride('LoadBalancers.0.TargetGroupArn', props.servingTargetGroupArn);
    (props.productionRule.node.defaultChild as CfnResource).addPropertyOverride(
      'ServiceUpdate',
      Lazy.any({ produce: () => serviceUpdateTrigger(cfnService, `${APP_CONTAINER_NAME}:${container.port}`) }),
    );
    Validations.of(this.service).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers]',
      reason:
        'the policy AWS maintains for ECS blue/green to move listener rules and register targets; a copy would drift as ECS gains steps.',
    });
    const taskRole = this.taskDefinition.taskRole;
    Validations.of(taskRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ECS Exec needs ssmmessages:CreateControlChannel/CreateDataChannel/OpenControlChannel/OpenDataChannel and logs:DescribeLogGroups, which have no resource-level permissions.',
    });
    const execLogGroup = props.cluster.executeCommandConfiguration?.logConfiguration?.cloudWatchLogGroup;
    if (execLogGroup) {
      const stack = Stack.of(this);
      const logicalId = stack.getLogicalId(execLogGroup.node.defaultChild as CfnElement);
      Validations.of(taskRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:${stack.region}:${stack.account}:log-group:<${logicalId}>:*]`,
        reason:
          "ECS Exec writes session logs to new streams of the environment's exec log group only; the streams' names are not known in advance.",
      });
    }
  }
}

/** The L2's strategy props for the environment's release strategy (ECS `DeploymentConfiguration.Strategy`). */
function deploymentStrategyProps(environment: EnvironmentConfig): Partial<ecs.Ec2ServiceProps> {
  const { strategy } = environment.release;
  if (strategy.type === 'canary') {
    return {
      deploymentStrategy: ecs.DeploymentStrategy.CANARY,
      canaryConfiguration: { stepPercent: strategy.percent, stepBakeTime: Duration.minutes(strategy.bakeMinutes) },
    };
  }
  if (strategy.type === 'linear') {
    return {
      deploymentStrategy: ecs.DeploymentStrategy.LINEAR,
      linearConfiguration: { stepPercent: strategy.stepPercent, stepBakeTime: Duration.minutes(strategy.stepBakeMinutes) },
    };
  }
  return { deploymentStrategy: ecs.DeploymentStrategy.BLUE_GREEN };
}

/** The ARNs the service's blue/green configuration names besides the serving target group. */
interface LiveAlternateTargetProps {
  readonly alternateTargetGroupArn: string;
  readonly productionRuleArn: string;
  readonly testRuleArn: string;
}

/**
 * ECS's alternate target for rules that are custom resources (the L2's `AlternateTarget` takes only L2 rules),
 * with the same role construct id `GreenTargetRole` as before, so its logical id does not change.
 */
class LiveAlternateTarget implements ecs.IAlternateTarget {
  constructor(private readonly props: LiveAlternateTargetProps) {}

  bind(scope: IConstruct): ecs.AlternateTargetConfig {
    const role = new iam.Role(scope, 'GreenTargetRole', {
      assumedBy: new iam.ServicePrincipal('ecs.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonECSInfrastructureRolePolicyForLoadBalancers')],
    });
    return {
      alternateTargetGroupArn: this.props.alternateTargetGroupArn,
      roleArn: role.roleArn,
      productionListenerRule: this.props.productionRuleArn,
      testListenerRule: this.props.testRuleArn,
    };
  }
}

/**
 * Everything CloudFormation would send in an update of the service, except what the production rule itself
 * provides (its ARNs and the two target groups). As a property of the production rule's resource, any change of
 * the service changes that resource too, which CloudFormation then updates first: it reads the live weights and
 * hands the service the target groups as they are now. Read at synth, after every construct set the service up.
 * @param cfnService the service
 * @param container the container and port the load balancer reaches
 */
function serviceUpdateTrigger(cfnService: ecs.CfnService, container: string): Record<string, unknown> {
  // `cfnProperties` (protected in CfnResource) is what the resource renders, with its tokens still unresolved, so
  // references to other stacks resolve as they do in the service itself.
  const properties = (cfnService as unknown as { readonly cfnProperties: Record<string, unknown> }).cfnProperties;
  return { ...Object.fromEntries(Object.entries(properties).filter(([key]) => key !== 'loadBalancers')), loadBalancerTarget: container };
}

/** Makes a service depend on every capacity-provider association of its stack (one cluster per environment). */
class DependOnCapacityProviderAssociations implements IAspect {
  constructor(private readonly service: ecs.BaseService) {}

  visit(node: IConstruct): void {
    if (node instanceof ecs.CfnClusterCapacityProviderAssociations && Stack.of(node) === Stack.of(this.service)) {
      (this.service.node.defaultChild as CfnResource).node.addDependency(node);
    }
  }
}

/** An ECS secret for a Secrets Manager secret ARN or an SSM parameter ARN; reading it is granted to the execution role. */
function secretFor(scope: Construct, name: string, arn: string): ecs.Secret {
  if (arn.split(':')[2] === 'secretsmanager') {
    return ecs.Secret.fromSecretsManager(secretsmanager.Secret.fromSecretCompleteArn(scope, `Secret${name}`, arn));
  }
  return ecs.Secret.fromSsmParameter(ssm.StringParameter.fromStringParameterArn(scope, `Secret${name}`, arn));
}
