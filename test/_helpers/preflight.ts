import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand } from '@aws-sdk/client-kms';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand } from '@aws-sdk/client-ssm';
import type { Manifest } from '../../infra/manifest';
import { givenIssuedCertificate } from './healthy-environment';
import { givenInstances } from './instances';
import { aws } from './mock-aws';

/** The execution role of the release world's task definition (test/_helpers/release-world.ts). */
export const EXECUTION_ROLE_ARN = 'arn:aws:iam::123456789012:role/berth-live-ServiceTaskDefinitionExecutionRole-ABC';

/** The secret the release world's app container gets from Secrets Manager, encrypted with a customer managed key. */
export const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:berth/api-key-AbCdEf';

/** The SSM SecureString parameter the release world's app container gets, encrypted with aws/ssm. */
export const PARAMETER_ARN = 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/db-password';

/** The customer managed key {@link SECRET_ARN} is encrypted with. */
export const SECRET_KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** The trust policy the stack gives the execution role, URL-encoded as IAM returns it. */
export function trustPolicy(service = 'ecs-tasks.amazonaws.com', action = 'sts:AssumeRole'): string {
  return encodeURIComponent(
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: action }] }),
  );
}

/** The checks of the pre-flight on the release world, in the order verify and promote report them. */
export const PREFLIGHT_LINKS = [
  'manifest schema',
  'execution role',
  'secret berth/api-key',
  'secret /berth/db-password',
  'image',
  'log groups',
  'certificate',
  'release capacity',
];

/** An OCI image index as buildx pushes it, listing the platforms given (`linux/amd64`, `linux/arm64`). */
export function imageIndex(...platforms: string[]): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: platforms.map((p, i) => ({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: `sha256:${String(i).repeat(64)}`,
      size: 1000,
      platform: { os: p.split('/')[0], architecture: p.split('/')[1] },
    })),
  });
}

/**
 * Answers IAM's policy simulation as the pre-flight asks it (one action, its resources): each resource gets the
 * decision for the action.
 * @param decide the decision for an action (`allowed`, `implicitDeny`, `explicitDeny`)
 */
export function givenSimulatedDecisions(decide: (action: string) => string): void {
  aws.iam.on(SimulatePrincipalPolicyCommand).callsFake((input: { ActionNames: string[]; ResourceArns: string[] }) => ({
    EvaluationResults: input.ResourceArns.map((arn) => ({
      EvalActionName: input.ActionNames[0],
      EvalResourceName: arn,
      EvalDecision: decide(input.ActionNames[0]),
    })),
  }));
}

/**
 * Scripts the calls of the pre-flight (berth verify) that neither the release world nor the healthy environment
 * answer, all ok: the execution role trusted by ECS tasks and allowed everything, the two secrets, the key, both
 * log groups, a multi-arch index for every tag, and, unless `instances` is false, the certificate and two instances.
 * @param manifest the environment's manifest
 * @param options whether to script the certificate and instances too (the healthy environment does already)
 */
export function givenPreflightOk(manifest: Manifest, options: { readonly instances?: boolean } = {}): void {
  aws.iam.on(GetRoleCommand).resolves({
    Role: {
      RoleName: 'berth-live-ServiceTaskDefinitionExecutionRole-ABC',
      Arn: EXECUTION_ROLE_ARN,
      Path: '/',
      RoleId: 'AROAEXAMPLE',
      CreateDate: new Date('2026-01-01T00:00:00Z'),
      AssumeRolePolicyDocument: trustPolicy(),
    },
  });
  givenSimulatedDecisions(() => 'allowed');
  aws.secretsManager.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, Name: 'berth/api-key', KmsKeyId: SECRET_KEY_ARN });
  aws.ssm
    .on(DescribeParametersCommand)
    .resolves({ Parameters: [{ Name: '/berth/db-password', Type: 'SecureString', KeyId: 'alias/aws/ssm' }] });
  aws.kms
    .on(DescribeKeyCommand)
    .resolves({ KeyMetadata: { KeyId: 'k', Arn: SECRET_KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Enabled' } });
  aws.logs.on(DescribeLogGroupsCommand).callsFake((input: { logGroupNamePrefix: string }) => ({
    logGroups: [{ logGroupName: input.logGroupNamePrefix }, { logGroupName: `${input.logGroupNamePrefix}-other` }],
  }));
  aws.ecr.on(BatchGetImageCommand).callsFake((input: { imageIds: { imageTag?: string; imageDigest?: string }[] }) => ({
    images: [
      {
        imageId: input.imageIds[0],
        imageManifestMediaType: 'application/vnd.oci.image.index.v1+json',
        imageManifest: imageIndex('linux/amd64', 'linux/arm64', 'unknown/unknown'),
      },
    ],
    failures: [],
  }));
  if (options.instances === false) return;
  // far from expiry whenever the tests run: promote checks the certificate against the real clock.
  givenIssuedCertificate(manifest, new Date(Date.now() + 200 * 86_400_000));
  givenInstances(manifest, [
    { id: 'i-0aaa', agentConnected: true, runningTasks: 1 },
    { id: 'i-0bbb', agentConnected: true, runningTasks: 1, az: 'eu-west-1b' },
  ]);
}
