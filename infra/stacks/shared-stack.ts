import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as logs from 'aws-cdk-lib/aws-logs';
import { type Construct } from 'constructs';
import type { BerthConfig } from '../config';
import { releasePauseMinutes } from '../config/resolve';
import { Delivery } from '../constructs/delivery';
import { LogsKey } from '../constructs/logs-key';
import { ReleaseState } from '../constructs/release-state';

/** Properties of {@link SharedStack}. */
export interface SharedStackProps extends StackProps {
  /** the validated berth config. */
  readonly config: BerthConfig;
}

/** Images whose newest this many `sha-*` tags (the delivery branch's commit builds) are kept for a pre rollback. */
export const KEPT_COMMIT_IMAGES = 20;

/** Days an untagged image (a `master` replaced by a newer push) is kept. */
export const UNTAGGED_IMAGE_DAYS = 7;

/**
 * What both environments share and what changes rarely: the VPC (new, or imported by ids without any
 * lookup) and the ECR repository every image is pushed to.
 */
export class SharedStack extends Stack {
  /** the VPC both environments run in. */
  readonly vpc: ec2.IVpc;
  /** where instances and their tasks go: private subnets behind NAT, or public subnets (low-cost). */
  readonly instanceSubnets: ec2.SubnetSelection;
  /** the repository of application images: `master`, `sha-<commit>` and release tags `vX.Y.Z`. */
  readonly repository: ecr.Repository;
  /** `/berth/<app>/live/image-tag`: which release live runs; here because live's first deploy reads it. */
  readonly releaseState: ReleaseState;
  /** the GitHub OIDC provider and delivery roles, when config names the application repository. */
  readonly delivery?: Delivery;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: SharedStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.zones = [...config.vpc.availabilityZones];

    // one key for the shared stack's log groups: the VPC flow logs and the custom-resource function's.
    const logsKey = new LogsKey(this, 'LogsKey', { purpose: "the shared stack's log groups" }).key;
    const instanceSubnetType = config.vpc.instanceSubnets === 'private' ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PUBLIC;
    this.instanceSubnets = { subnetType: instanceSubnetType };
    this.vpc =
      config.vpc.kind === 'imported'
        ? ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
            vpcId: config.vpc.vpcId,
            availabilityZones: [...config.vpc.availabilityZones],
            publicSubnetIds: [...config.vpc.publicSubnetIds],
            ...(config.vpc.privateSubnetIds.length > 0 ? { privateSubnetIds: [...config.vpc.privateSubnetIds] } : {}),
          })
        : new ec2.Vpc(this, 'Vpc', {
            ipAddresses: ec2.IpAddresses.cidr(config.vpc.cidr),
            availabilityZones: [...config.vpc.availabilityZones],
            natGateways: config.vpc.natGateways,
            subnetConfiguration: [
              { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, mapPublicIpOnLaunch: config.vpc.instanceSubnets === 'public' },
              ...(config.vpc.instanceSubnets === 'private' ? [{ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }] : []),
            ],
            flowLogs: {
              RejectedTraffic: {
                trafficType: ec2.FlowLogTrafficType.REJECT,
                destination: ec2.FlowLogDestination.toCloudWatchLogs(
                  new logs.LogGroup(this, 'FlowLogGroup', {
                    retention: logs.RetentionDays.ONE_YEAR,
                    encryptionKey: logsKey,
                  }),
                ),
              },
            },
          });

    this.repository = new ecr.Repository(this, 'Repository', {
      // the name is typed by people and CI (`docker push <account>.dkr.ecr.<region>.amazonaws.com/<app>`).
      repositoryName: config.appName,
      imageScanOnPush: true,
      // releases can never be overwritten; `master` (pre's image, whatever the delivery branch) moves with every merge.
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('master')],
      // (acknowledged below: the one mutable tag is deliberate.)
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          rulePriority: 1,
          description: 'keep every release: an image matched here is never expired by a later rule',
          tagPatternList: ['v*'],
          maxImageCount: 9999,
        },
        {
          rulePriority: 2,
          description: `keep the newest ${KEPT_COMMIT_IMAGES} commit builds (sha-*) of the delivery branch`,
          tagPatternList: ['sha-*'],
          maxImageCount: KEPT_COMMIT_IMAGES,
        },
        {
          rulePriority: 3,
          description: `expire untagged images (replaced master builds) after ${UNTAGGED_IMAGE_DAYS} days`,
          tagStatus: ecr.TagStatus.UNTAGGED,
          maxImageAge: Duration.days(UNTAGGED_IMAGE_DAYS),
        },
      ],
    });
    Validations.of(this.repository).acknowledge({
      id: 'cdk-validator-cfnguard::ecr_private_tag_immutability_enabled_check',
      reason:
        'every tag is immutable except `master`, which must move to the newest merge for pre; releases (v*) can never be overwritten.',
    });
    const { initialImageTag } = config.environments.live;
    if (initialImageTag === undefined) {
      throw new Error('environments.live.initialImageTag is missing; pass the config through parseConfig, which fills it in');
    }
    this.releaseState = new ReleaseState(this, 'ReleaseState', { appName: config.appName, initialImageTag, logsKey });
    new CfnOutput(this, 'RepositoryUri', {
      value: this.repository.repositoryUri,
      description: 'push images here (docker push <uri>:<tag>)',
    });

    if (config.github) {
      this.delivery = new Delivery(this, 'Delivery', {
        github: config.github,
        appName: config.appName,
        repository: this.repository,
        prePauses: releasePauseMinutes(config.environments.pre) !== undefined,
      });
      new CfnOutput(this, 'BuildRoleArn', {
        value: this.delivery.buildRole.roleArn,
        description: 'the application repository variable BERTH_BUILD_ROLE_ARN',
      });
      new CfnOutput(this, 'PreDeployRoleArn', {
        value: this.delivery.preDeployRole.roleArn,
        description: 'the application repository variable BERTH_PRE_DEPLOY_ROLE_ARN',
      });
    }

    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'availability zones come from config on purpose: synth must not look them up, and subnets must not move between deploys.',
    });
  }

  /** the zones from config: the VPC must not ask AWS for them, so synth needs no credentials. */
  override get availabilityZones(): string[] {
    return this.zones;
  }
}
