import { Duration, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { renderUserData } from '../user-data';

/** Properties of {@link Capacity}. */
export interface CapacityProps {
  /** the VPC the instances run in. */
  readonly vpc: ec2.IVpc;
  /** the subnets instances (and their awsvpc tasks) are placed in. */
  readonly instanceSubnets: ec2.SubnetSelection;
  /** the environment's settings. */
  readonly environment: EnvironmentConfig;
  /** the key the ECS Exec log group is encrypted with. */
  readonly logsKey: kms.IKey;
  /**
   * how long ECS Exec session logs are kept.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly execLogRetention?: logs.RetentionDays;
}

/**
 * The compute of one environment: an ECS cluster whose EC2 capacity comes from an Auto Scaling group on
 * the ECS-optimized Amazon Linux 2023 AMI, joined through a capacity provider that scales, protects and
 * drains instances for ECS.
 */
export class Capacity extends Construct {
  /** the environment's ECS cluster. */
  readonly cluster: ecs.Cluster;
  /** the launch template every instance starts from. */
  readonly launchTemplate: ec2.LaunchTemplate;
  /** the group of container instances. */
  readonly autoScalingGroup: autoscaling.AutoScalingGroup;
  /** the capacity provider that ties the group to the cluster; services place tasks through it. */
  readonly capacityProvider: ecs.AsgCapacityProvider;
  /** the instances' security group: no inbound rules, so no SSH port is open. */
  readonly instanceSecurityGroup: ec2.SecurityGroup;
  /** the instances' role. */
  readonly instanceRole: iam.Role;
  /** where ECS Exec sessions are logged. */
  readonly execLogGroup: logs.LogGroup;
  /** the user data the launch template runs, rendered from `userdata/ecs-agent.sh`. */
  readonly userData: string;

  constructor(scope: Construct, id: string, props: CapacityProps) {
    super(scope, id);
    const { environment } = props;

    this.execLogGroup = new logs.LogGroup(this, 'ExecLogGroup', {
      retention: props.execLogRetention ?? logs.RetentionDays.ONE_YEAR,
      encryptionKey: props.logsKey,
    });
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
      executeCommandConfiguration: {
        logging: ecs.ExecuteCommandLogging.OVERRIDE,
        logConfiguration: { cloudWatchLogGroup: this.execLogGroup, cloudWatchEncryptionEnabled: true },
      },
    });

    this.instanceSecurityGroup = new ec2.SecurityGroup(this, 'InstanceSecurityGroup', {
      vpc: props.vpc,
      description: `berth ${environment.name} container instances: no inbound rules; SSM needs none`,
      // the ECS agent, ECR, SSM and CloudWatch are reached over HTTPS through NAT or the internet gateway.
      allowAllOutbound: true,
    });

    this.instanceRole = new iam.Role(this, 'InstanceRole', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      description: `berth ${environment.name} container instances`,
    });
    // AsgCapacityProvider adds the ECS agent's permissions; the SSM Agent needs its own for Session Manager
    // (`berth connect`) and Run Command (`berth agent-log`). Not AmazonSSMManagedInstanceCore: it also grants
    // ssm:GetParameter(s) on every parameter of the account, SecureStrings included, and State Manager,
    // inventory and patching, which berth does not use. Sources, Systems Manager user guide: "Step 2: Verify or
    // add instance permissions for Session Manager" (ssm:UpdateInstanceInformation, the ssmmessages channels) and
    // "Reference: ec2messages, ssmmessages, and other API operations" (Run Command documents arrive through
    // ssmmessages, or through ec2messages where that is not reachable). None of these takes a resource ARN.
    this.instanceRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'ssm:UpdateInstanceInformation',
          'ssmmessages:CreateControlChannel',
          'ssmmessages:CreateDataChannel',
          'ssmmessages:OpenControlChannel',
          'ssmmessages:OpenDataChannel',
          'ec2messages:AcknowledgeMessage',
          'ec2messages:DeleteMessage',
          'ec2messages:FailMessage',
          'ec2messages:GetEndpoint',
          'ec2messages:GetMessages',
          'ec2messages:SendReply',
        ],
        resources: ['*'],
      }),
    );

    this.launchTemplate = new ec2.LaunchTemplate(this, 'LaunchTemplate', {
      machineImage: machineImage(environment, Stack.of(this).region),
      instanceType: new ec2.InstanceType(environment.instanceType),
      role: this.instanceRole,
      securityGroup: this.instanceSecurityGroup,
      // replaced below by the rendered template; the group needs a Linux user data to attach to.
      userData: ec2.UserData.forLinux(),
      requireImdsv2: true,
      // one-minute instance metrics: at 2 a.m. the five-minute default hides the spike that matters.
      detailedMonitoring: true,
      // tasks use awsvpc and get credentials from the agent, so nothing behind the host needs IMDS.
      httpPutResponseHopLimit: 1,
      blockDevices: [
        {
          deviceName: '/dev/xvda',
          volume: ec2.BlockDeviceVolume.ebs(environment.rootVolumeGiB, {
            volumeType: ec2.EbsDeviceVolumeType.GP3,
            encrypted: true,
            deleteOnTermination: true,
          }),
        },
      ],
    });

    this.autoScalingGroup = new autoscaling.AutoScalingGroup(this, 'AutoScalingGroup', {
      vpc: props.vpc,
      vpcSubnets: props.instanceSubnets,
      launchTemplate: this.launchTemplate,
      minCapacity: environment.minCapacity,
      maxCapacity: environment.maxCapacity,
      desiredCapacity: environment.desiredCapacity,
      updatePolicy: autoscaling.UpdatePolicy.rollingUpdate({
        maxBatchSize: 1,
        // one instance below the maximum, so CloudFormation can always start a replacement first.
        minInstancesInService: Math.max(0, Math.min(environment.minCapacity, environment.maxCapacity - 1)),
        pauseTime: Duration.minutes(2),
      }),
      groupMetrics: [autoscaling.GroupMetrics.all()],
    });
    // the subnets already span these zones; naming them too lets policy checks see a multi-AZ group.
    const zones = props.vpc.selectSubnets(props.instanceSubnets).availabilityZones;
    (this.autoScalingGroup.node.defaultChild as autoscaling.CfnAutoScalingGroup).addPropertyOverride('AvailabilityZones', zones);
    Validations.of(this.autoScalingGroup).acknowledge(
      {
        id: 'CloudFormation-Validate::W3010',
        reason: 'the zones are those of the instance subnets, from config; synth must not look them up.',
      },
      {
        id: 'cdk-validator-cfnguard::autoscaling_mixed_instances_policy_multiple_instance_types_check',
        reason:
          'each environment runs one instance type from config, sized for its tasks; ECS managed scaling and placement assume uniform instances.',
      },
    );
    Validations.of(this.autoScalingGroup).acknowledge({
      id: 'AwsSolutions-AS3',
      reason:
        'scaling is driven by the ECS capacity provider; its activities are read with `berth instances` and `berth doctor` rather than mailed to a topic nobody subscribes to.',
    });

    this.capacityProvider = new ecs.AsgCapacityProvider(this, 'CapacityProvider', {
      autoScalingGroup: this.autoScalingGroup,
      enableManagedScaling: true,
      enableManagedTerminationProtection: true,
      // managed draining moves tasks off an instance before the group terminates it; with it (or managed
      // termination protection) CDK leaves out its older Lambda drain hook and the topic it needs.
      enableManagedDraining: true,
      targetCapacityPercent: 100,
    });
    this.cluster.addAsgCapacityProvider(this.capacityProvider);
    Validations.of(this.instanceRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Action::ecs:Submit*]',
        reason: 'written by the capacity provider integration for the ECS agent (state change submissions), and limited to this cluster.',
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'the ECS agent calls ecs:DiscoverPollEndpoint and ecr:GetAuthorizationToken, and the SSM Agent its ssmmessages and ec2messages channels and heartbeat, which have no resource-level permissions; ecs:Poll is conditioned on this cluster.',
      },
    );
    this.cluster.addDefaultCapacityProviderStrategy([{ capacityProvider: this.capacityProvider.capacityProviderName, weight: 1 }]);

    this.userData = renderUserData('ecs-agent.sh', {
      ClusterName: this.cluster.clusterName,
      Environment: environment.name,
      ImagePullBehaviour: environment.imagePullBehaviour,
      ContainerStopTimeout: String(environment.container.stopTimeoutSeconds),
    });
    // the template is the whole user data: this replaces the line naming the cluster that CDK's cluster
    // integration adds for Amazon Linux; the template already writes it, so every agent setting lives in one file.
    const cfnLaunchTemplate = this.launchTemplate.node.defaultChild as ec2.CfnLaunchTemplate;
    cfnLaunchTemplate.addPropertyOverride('LaunchTemplateData.UserData', Fn.base64(this.userData));
  }
}

/** The pinned AMI when config names one, else the newest ECS-optimized AL2023 AMI for the architecture. */
function machineImage(environment: EnvironmentConfig, region: string): ec2.IMachineImage {
  if (environment.amiId) return ec2.MachineImage.genericLinux({ [region]: environment.amiId });
  return ecs.EcsOptimizedImage.amazonLinux2023(
    environment.architecture === 'arm64' ? ecs.AmiHardwareType.ARM : ecs.AmiHardwareType.STANDARD,
  );
}
