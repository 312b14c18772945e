import { CfnOutput, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { type Construct } from 'constructs';
import type { BerthConfig, EnvironmentConfig } from '../config';
import { releasePauseMinutes } from '../config/resolve';
import { Capacity } from '../constructs/capacity';
import { Database } from '../constructs/database';
import { DatabaseClient } from '../constructs/database-client';
import { DeploymentAlarms } from '../constructs/deployment-alarms';
import { Ingress } from '../constructs/ingress';
import { LogsKey } from '../constructs/logs-key';
import { ManifestParameter } from '../constructs/manifest-parameter';
import { type AccessResources, OperatorAccess } from '../constructs/operator-access';
import { ReleaseNotifications } from '../constructs/release-notifications';
import { imageTagFor } from '../constructs/release-state';
import { APP_CONTAINER_NAME, Service } from '../constructs/service';
import { TaskScaling } from '../constructs/task-scaling';
import { DUTIES } from '../duties';
import { imageTagParameterName, type Manifest, manifestParameterName, type ManifestRelease, MANIFEST_SCHEMA_VERSION } from '../manifest';

/** Properties of {@link EnvironmentStack}. */
export interface EnvironmentStackProps extends StackProps {
  /** the validated berth config. */
  readonly config: BerthConfig;
  /** the environment this stack runs. */
  readonly environment: EnvironmentConfig;
  /** the shared VPC. */
  readonly vpc: ec2.IVpc;
  /** the subnets instances and tasks are placed in. */
  readonly instanceSubnets: ec2.SubnetSelection;
  /** the shared image repository. */
  readonly repository: ecr.IRepository;
}

/**
 * Everything one environment needs and nothing another needs: deploying `pre` never changes a `live`
 * resource. The same class serves both environments; only the config differs.
 */
export class EnvironmentStack extends Stack {
  /** the environment's compute: cluster, launch template, Auto Scaling group, capacity provider. */
  readonly capacity: Capacity;
  /** the key every log group of the environment is encrypted with. */
  readonly logsKey: kms.IKey;
  /** the load balancer, its listeners and rules, certificate, DNS records and the blue and green target groups. */
  readonly ingress: Ingress;
  /** the alarms that roll a release back. */
  readonly deploymentAlarms: DeploymentAlarms;
  /** the application: task definition, tasks' security group and the blue/green ECS service. */
  readonly service: Service;
  /** the manifest the CLI reads, at `/berth/<app>/<env>/manifest`. */
  readonly manifestParameter: ManifestParameter;
  /** the application's task definition (family `<app>-<env>`); a database adds its settings to it. */
  readonly taskDefinition: ecs.Ec2TaskDefinition;
  /** the application container, named `app`; a database adds its environment and secrets to it. */
  readonly appContainer: ecs.ContainerDefinition;
  /** the tasks' own security group (with a database, the tasks also join the database clients' group). */
  readonly taskSecurityGroup: ec2.SecurityGroup;
  /** the environment's database, when config enables one. */
  readonly database?: Database;
  /** the one-off task definition `berth db-shell` runs, when there is a database. */
  readonly databaseClient?: DatabaseClient;
  /** task auto-scaling of the service, when config turns it on. */
  readonly taskScaling?: TaskScaling;
  /** the viewer, troubleshooter and releaser roles of the environment. */
  readonly operatorAccess: OperatorAccess;
  /** the messages at each release's start and end, when config names recipients. */
  readonly releaseNotifications?: ReleaseNotifications;

  constructor(scope: Construct, id: string, props: EnvironmentStackProps) {
    super(scope, id, props);
    const { config, environment } = props;
    Tags.of(this).add('berth:environment', environment.name);

    this.logsKey = new LogsKey(this, 'LogsKey', { purpose: `the ${environment.name} log groups` }).key;
    this.capacity = new Capacity(this, 'Capacity', {
      vpc: props.vpc,
      instanceSubnets: props.instanceSubnets,
      environment,
      logsKey: this.logsKey,
    });

    this.ingress = new Ingress(this, 'Ingress', { vpc: props.vpc, domain: config.domain, environment, logsKey: this.logsKey });
    this.deploymentAlarms = new DeploymentAlarms(this, 'DeploymentAlarms', {
      environmentName: environment.name,
      targetGroups: [this.ingress.blueTargetGroup, this.ingress.greenTargetGroup],
      alarms: environment.alarms,
    });
    // the database comes first: the tasks join its clients' group, the one group it admits.
    if (environment.database) {
      this.database = new Database(this, 'Database', {
        vpc: props.vpc,
        environmentName: environment.name,
        config: environment.database,
      });
    }
    const imageTag = imageTagFor(config.appName, environment.name);
    this.service = new Service(this, 'Service', {
      appName: config.appName,
      environment,
      cluster: this.capacity.cluster,
      capacityProvider: this.capacity.capacityProvider,
      vpc: props.vpc,
      subnets: props.instanceSubnets,
      repository: props.repository,
      imageTag,
      logsKey: this.logsKey,
      blueTargetGroup: this.ingress.blueTargetGroup,
      servingTargetGroupArn: this.ingress.servingTargetGroupArn,
      idleTargetGroupArn: this.ingress.idleTargetGroupArn,
      productionRuleArn: this.ingress.productionRuleArn,
      testRuleArn: this.ingress.testRuleArn,
      productionRule: this.ingress.productionRule,
      deploymentAlarmNames: this.deploymentAlarms.all.map((alarm) => alarm.alarmName),
      ...(this.database ? { additionalSecurityGroups: [this.database.clientSecurityGroup] } : {}),
    });
    this.taskDefinition = this.service.taskDefinition;
    this.appContainer = this.service.appContainer;
    this.taskSecurityGroup = this.service.securityGroup;
    if (environment.autoScaling) {
      this.taskScaling = new TaskScaling(this, 'TaskScaling', {
        service: this.service.service,
        cluster: this.capacity.cluster,
        autoScaling: environment.autoScaling,
        startingTaskCount: environment.desiredTaskCount,
        targetGroups: { blue: this.ingress.blueTargetGroup, green: this.ingress.greenTargetGroup },
        logsKey: this.logsKey,
      });
    }

    if (environment.notifications) {
      this.releaseNotifications = new ReleaseNotifications(this, 'ReleaseNotifications', {
        appName: config.appName,
        environmentName: environment.name,
        notifications: environment.notifications,
        service: this.service.service,
        cluster: this.capacity.cluster,
        containerName: APP_CONTAINER_NAME,
        logsKey: this.logsKey,
      });
    }

    if (this.database) {
      this.database.injectCredentials(this.appContainer);
      this.databaseClient = new DatabaseClient(this, 'DatabaseClient', {
        database: this.database,
        family: `${config.appName}-${environment.name}-db-client`,
        execLogGroup: this.capacity.execLogGroup,
        logsKey: this.logsKey,
      });
    }

    const { ingress, capacity, service, database, databaseClient } = this;
    this.operatorAccess = new OperatorAccess(this, 'OperatorAccess', {
      appName: config.appName,
      environmentName: environment.name,
      access: environment.access,
      resources: this.accessResources(config, environment, props.repository),
    });
    const pauseMinutes = releasePauseMinutes(environment);
    const release: ManifestRelease = {
      strategy: environment.release.strategy,
      smoke: environment.release.smoke,
      approve: environment.release.approve,
      ...(pauseMinutes === undefined ? {} : { pause: { timeoutMinutes: pauseMinutes } }),
    };
    const manifest: Manifest = {
      schemaVersion: MANIFEST_SCHEMA_VERSION,
      app: config.appName,
      environment: environment.name,
      account: this.account,
      region: this.region,
      cluster: { name: capacity.cluster.clusterName, arn: capacity.cluster.clusterArn },
      service: { name: service.service.serviceName, arn: service.service.serviceArn },
      taskDefinitionFamily: service.taskDefinition.family,
      containerName: APP_CONTAINER_NAME,
      containerPort: environment.container.port,
      repository: { name: props.repository.repositoryName, uri: props.repository.repositoryUri },
      autoScalingGroupName: capacity.autoScalingGroup.autoScalingGroupName,
      capacityProviderName: capacity.capacityProvider.capacityProviderName,
      launchTemplateId: capacity.launchTemplate.launchTemplateId!,
      loadBalancer: {
        arn: ingress.loadBalancer.loadBalancerArn,
        dnsName: ingress.loadBalancer.loadBalancerDnsName,
        canonicalHostedZoneId: ingress.loadBalancer.loadBalancerCanonicalHostedZoneId,
      },
      listeners: { https: ingress.httpsListener.listenerArn, http: ingress.httpListener.listenerArn },
      rules: { production: ingress.productionRuleArn, test: ingress.testRuleArn },
      testHeader: { name: environment.testRule.headerName, value: environment.testRule.headerValue },
      targetGroups: { blue: ingress.blueTargetGroup.targetGroupArn, green: ingress.greenTargetGroup.targetGroupArn },
      domainName: ingress.domainName,
      url: ingress.url,
      hostedZoneId: config.domain.hostedZoneId,
      certificateArn: ingress.certificate.certificateArn,
      logGroupName: service.logGroup.logGroupName,
      execLogGroupName: capacity.execLogGroup.logGroupName,
      // for live, the tag the parameter held at this deploy; `berth promote` reads the parameter itself.
      defaultImageTag: imageTag,
      release,
      accessRoles: Object.fromEntries(DUTIES.map((duty) => [duty, this.operatorAccess.roles[duty].roleArn])) as Manifest['accessRoles'],
      // what `berth verify` checks the next image against.
      architecture: environment.architecture,
      ...(environment.name === 'live' ? { imageTagParameter: imageTagParameterName(config.appName) } : {}),
      ...(database && databaseClient
        ? {
            database: {
              engine: database.engine,
              endpoint: database.instance.dbInstanceEndpointAddress,
              port: database.port,
              secretArn: database.secret.secretArn,
              clientTaskDefinitionFamily: databaseClient.taskDefinition.family,
              clientSecurityGroupId: database.clientSecurityGroup.securityGroupId,
            },
          }
        : {}),
    };
    this.manifestParameter = new ManifestParameter(this, 'Manifest', { manifest });

    new CfnOutput(this, 'Url', { description: `the ${environment.name} environment's public URL`, value: ingress.url });
    new CfnOutput(this, 'LoadBalancerDnsName', {
      description: "the load balancer's own DNS name (answers 404: requests must name the subdomain)",
      value: ingress.loadBalancer.loadBalancerDnsName,
    });
    new CfnOutput(this, 'ServiceName', { description: 'the ECS service that runs the application', value: service.service.serviceName });
    if (this.releaseNotifications) {
      new CfnOutput(this, 'ReleaseNotificationTopicArn', {
        description: "the topic of the environment's release notifications (only EventBridge may publish to it)",
        value: this.releaseNotifications.topic.topicArn,
      });
    }
  }

  /**
   * An ARN in this stack's region.
   * @param service the service's ARN namespace
   * @param resource the resource part
   * @param account the account part: this stack's, or `*` for resources AWS owns, whose ARNs name none
   */
  private arnOf(service: string, resource: string, account: string = this.account): string {
    return `arn:${this.partition}:${service}:${this.region}:${account}:${resource}`;
  }

  /**
   * The environment's resources, by the kind infra/duties.ts names for each call: what the duty roles may touch.
   * @param config the validated config
   * @param environment the environment (live alone has the image-tag parameter)
   * @param repository the shared image repository
   */
  private accessResources(config: BerthConfig, environment: EnvironmentConfig, repository: ecr.IRepository): AccessResources {
    const live = environment.name === 'live';
    const { capacity, service, ingress, databaseClient } = this;
    const cluster = capacity.cluster.clusterName;
    const serviceName = service.service.serviceName;
    const environmentName = environment.name;
    // the Secrets Manager secrets the execution role injects: config's and the database's.
    const secretArns = [
      ...Object.values(environment.container.secrets).filter((arn) => arn.includes(':secretsmanager:')),
      ...(this.database ? [this.database.secret.secretArn] : []),
    ];
    const rolesOf = (taskDefinition: ecs.TaskDefinition) => [taskDefinition.taskRole.roleArn, taskDefinition.obtainExecutionRole().roleArn];
    return {
      manifest: { resources: [this.arnOf('ssm', `parameter${manifestParameterName(config.appName, environmentName)}`)] },
      ...(live ? { imageTagParameter: { resources: [this.arnOf('ssm', `parameter${imageTagParameterName(config.appName)}`)] } } : {}),
      // AWS's public parameters have no account in their ARN (the wildcard stands for it, as for AWS's documents).
      amiParameter: { resources: [this.arnOf('ssm', 'parameter/aws/service/ecs/optimized-ami/*', '*')] },
      repository: { resources: [repository.repositoryArn] },
      cluster: { resources: [capacity.cluster.clusterArn] },
      service: { resources: [service.service.serviceArn] },
      serviceDeployments: {
        resources: [
          this.arnOf('ecs', `service-deployment/${cluster}/${serviceName}/*`),
          this.arnOf('ecs', `service-revision/${cluster}/${serviceName}/*`),
        ],
      },
      taskDefinitionFamily: { resources: [this.arnOf('ecs', `task-definition/${service.taskDefinition.family}:*`)] },
      tasks: { resources: [this.arnOf('ecs', `task/${cluster}/*`)] },
      containerInstances: { resources: [this.arnOf('ecs', `container-instance/${cluster}/*`)] },
      capacityProvider: { resources: [this.arnOf('ecs', `capacity-provider/${capacity.capacityProvider.capacityProviderName}`)] },
      // instance ids are not known at synth time: the tags the Auto Scaling group gives every instance pin them.
      instances: {
        resources: [this.arnOf('ec2', 'instance/*')],
        conditions: {
          StringEquals: { 'aws:ResourceTag/berth:app': config.appName, 'aws:ResourceTag/berth:environment': environmentName },
        },
      },
      taskRoles: { resources: rolesOf(service.taskDefinition) },
      executionRole: { resources: [service.taskDefinition.obtainExecutionRole().roleArn] },
      ...(secretArns.length > 0 ? { secrets: { resources: secretArns } } : {}),
      // the keys of the secrets are known only when DescribeSecret names them: the account's keys in this region.
      secretKeys: { resources: [this.arnOf('kms', 'key/*')] },
      ...(databaseClient
        ? {
            databaseClientFamily: { resources: [this.arnOf('ecs', `task-definition/${databaseClient.taskDefinition.family}:*`)] },
            databaseClientRoles: { resources: rolesOf(databaseClient.taskDefinition) },
          }
        : {}),
      logGroup: { resources: [service.logGroup.logGroupArn] },
      hostedZone: { resources: [`arn:${this.partition}:route53:::hostedzone/${config.domain.hostedZoneId}`] },
      certificate: { resources: [ingress.certificate.certificateArn] },
      // the document `aws ssm start-session` runs when it names none, and the AWS-owned one agent-log sends (its ARN
      // has no account, or AWS's own in some of AWS's examples: the wildcard matches both, and only that document).
      ssmDocument: {
        resources: [this.arnOf('ssm', 'document/SSM-SessionManagerRunShell'), this.arnOf('ssm', 'document/AWS-RunShellScript', '*')],
      },
    };
  }
}
