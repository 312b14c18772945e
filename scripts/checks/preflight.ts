import { ACMClient } from '@aws-sdk/client-acm';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type Manifest, type ManifestArchitecture, MANIFEST_SCHEMA_VERSION } from '../../infra/manifest';
import type { AwsClients } from '../aws/clients';
import { readImageManifest, manifestPlatforms } from '../aws/ecr-image';
import { listEnvironmentInstances } from '../aws/environment-instances';
import { ECS_TASKS_PRINCIPAL, ecsTasksStatement, readTrustPolicy, roleNameOf, simulateRoleAction } from '../aws/execution-role';
import { logGroupExists } from '../aws/log-groups';
import { readScalableTarget } from '../aws/scalable-target';
import { describeContainerSecret, describeKmsKey, isAwsManagedAlias, isSecretsManagerArn } from '../aws/secrets';
import { readService } from '../aws/service';
import { readTaskDefinition } from '../aws/task-definition';
import type { TaskDefinition } from '@aws-sdk/client-ecs';
import { checkReleaseCapacity, type TaskNeed, taskNeed } from './capacity';
import { checkCertificate } from './dns';
import { type Finding, safely } from './findings';

/** The image the pre-flight checks: the tag the next release runs, and its digest when the caller found it already. */
export interface PreflightImage {
  /** the image tag, e.g. `v1.4.0` or `master`. */
  readonly tag: string;
  /** where the tag came from, for the summary: `--tag`, the image-tag parameter, pre's branch tag. */
  readonly source: string;
  /** the digest `promote` found the tag at: the image is then read by digest, and its existence not checked twice. @default - read by tag */
  readonly digest?: string;
}

/** What the pre-flight needs besides the manifest. */
export interface PreflightOptions {
  /** the image of the next release. */
  readonly image: PreflightImage;
  /** the clock, for the certificate's expiry. */
  readonly now: Date;
  /** the command to run again once a cause is fixed, for the fix of a check that could not run. @default 'verify' */
  readonly rerun?: string;
}

/** The platform architecture OCI and Docker name each config architecture by (OCI image index, `platform.architecture`). */
const PLATFORM_ARCHITECTURE: Readonly<Record<ManifestArchitecture, string>> = { x86_64: 'amd64', arm64: 'arm64' };

const redeployOf = (manifest: Pick<Manifest, 'app' | 'environment'>) => `npx cdk deploy ${manifest.app}-${manifest.environment}`;

/** The finding for a field an older stack did not write: the check needs a redeploy, not a fix. */
function olderStack(link: string, manifest: Pick<Manifest, 'app' | 'environment'>, field: string): Finding {
  return {
    link,
    status: 'warn',
    summary: `not checked: the manifest has no ${field} (the stack was deployed by a berth before verify)`,
    fix: `redeploy the stack with cdk deploy (${redeployOf(manifest)}) so the manifest names it`,
  };
}

/** One secret the next release's tasks get: the resource the execution role reads, and the variables it fills. */
export interface TaskSecret {
  /** the secret's or parameter's ARN, without a Secrets Manager JSON key or version. */
  readonly arn: string;
  /** the container's variables it fills, e.g. `API_KEY` (the database's fills several). */
  readonly variables: readonly string[];
}

/** What the next release's tasks run with: the running task definition, which `promote` and `deploy` copy. */
export interface RunningTask {
  /** the execution role that pulls the image and reads the secrets. @default - none */
  readonly executionRoleArn?: string;
  /** the application container's secrets, one per resource. */
  readonly secrets: readonly TaskSecret[];
  /** what one task reserves, when the task definition says. */
  readonly need?: TaskNeed;
  /** tasks the service runs now. */
  readonly desiredCount: number;
}

/**
 * The resource a container secret's `valueFrom` names: a Secrets Manager ARN may end in `:<json-key>:<stage>:<id>`
 * (the first seven fields are the secret's ARN), and an SSM parameter in the task's region may be named without an
 * ARN (ECS developer guide, specifying sensitive data: "valueFrom").
 * @param valueFrom the container secret's `valueFrom`
 * @param manifest the environment's manifest, for the region, account and partition of a bare parameter name
 */
export function secretResourceArn(valueFrom: string, manifest: Manifest): string {
  if (valueFrom.startsWith('arn:')) {
    const fields = valueFrom.split(':');
    return fields[2] === 'secretsmanager' ? fields.slice(0, 7).join(':') : valueFrom;
  }
  const partition = manifest.service.arn.split(':')[1] ?? 'aws';
  return `arn:${partition}:ssm:${manifest.region}:${manifest.account}:parameter${valueFrom.startsWith('/') ? '' : '/'}${valueFrom}`;
}

/**
 * The secrets of the application container, grouped by the resource they come from.
 * @param taskDefinition the running task definition
 * @param manifest the environment's manifest
 */
export function taskSecrets(taskDefinition: TaskDefinition, manifest: Manifest): TaskSecret[] {
  const container = taskDefinition.containerDefinitions?.find((c) => c.name === manifest.containerName);
  const byArn = new Map<string, string[]>();
  for (const secret of container?.secrets ?? []) {
    if (!secret.valueFrom) continue;
    const arn = secretResourceArn(secret.valueFrom, manifest);
    byArn.set(arn, [...(byArn.get(arn) ?? []), secret.name ?? '?']);
  }
  return [...byArn].map(([arn, variables]) => ({ arn, variables }));
}

/**
 * Reads the service and the task definition it runs: the role, the secrets and the size of the next release's tasks.
 * @param ecs an ECS client
 * @param manifest the environment's manifest
 */
export async function readRunningTask(ecs: ECSClient, manifest: Manifest): Promise<RunningTask> {
  const service = await readService(ecs, manifest);
  const { taskDefinition } = await readTaskDefinition(ecs, service.taskDefinition);
  const need = taskNeed(taskDefinition);
  return {
    ...(taskDefinition.executionRoleArn ? { executionRoleArn: taskDefinition.executionRoleArn } : {}),
    secrets: taskSecrets(taskDefinition, manifest),
    ...(need ? { need } : {}),
    desiredCount: service.desiredCount,
  };
}

/**
 * The manifest's schema version: reading the manifest refused any other, so a manifest here is one this berth reads.
 * @param manifest the environment's manifest
 */
export function checkManifestSchema(manifest: Manifest): Finding {
  return { link: 'manifest schema', status: 'ok', summary: `version ${manifest.schemaVersion}, the one this berth reads` };
}

/**
 * The manifest's schema version as a failing check, for a manifest reading refused.
 * @param message the refusal's one line, which names the version and the fix
 */
export function unreadableManifestSchema(message: string): Finding {
  const fix = /upgrade berth/.test(message)
    ? `upgrade berth: this one reads version ${MANIFEST_SCHEMA_VERSION}`
    : 'redeploy the stack with cdk deploy';
  return { link: 'manifest schema', status: 'fail', summary: message.replace(/; (upgrade berth|redeploy the stack).*$/, ''), fix };
}

/**
 * Checks that ECS tasks may assume the task definition's execution role, which pulls the image and reads the secrets.
 * @param iam an IAM client
 * @param manifest the environment's manifest
 * @param roleArn the running task definition's execution role
 */
export async function checkExecutionRole(iam: IAMClient, manifest: Manifest, roleArn: string | undefined): Promise<Finding> {
  const link = 'execution role';
  if (!roleArn) {
    return {
      link,
      status: 'warn',
      summary: 'the running task definition names no execution role: tasks cannot get secrets, and pull and log with the instance role',
      fix: `${redeployOf(manifest)} registers the stack's task definition, which has one`,
    };
  }
  const trust = await readTrustPolicy(iam, roleArn);
  if (!trust) {
    return { link, status: 'fail', summary: `role ${roleNameOf(roleArn)} does not exist`, fix: `${redeployOf(manifest)} creates it` };
  }
  const statement = ecsTasksStatement(trust);
  if (!statement) {
    return {
      link,
      status: 'fail',
      summary: `${ECS_TASKS_PRINCIPAL} may not assume ${roleNameOf(roleArn)}: no task can pull its image or read its secrets`,
      fix: `${redeployOf(manifest)} restores the trust policy the stack gives it (Allow ${ECS_TASKS_PRINCIPAL} sts:AssumeRole)`,
    };
  }
  return {
    link,
    status: 'ok',
    summary: `${ECS_TASKS_PRINCIPAL} may assume ${roleNameOf(roleArn)}`,
    // a condition is evaluated when ECS assumes the role, which berth cannot simulate: it is shown, not judged.
    ...(statement.Condition ? { details: [`with the condition ${JSON.stringify(statement.Condition)}`] } : {}),
  };
}

/** The clients the secrets check reads with. */
export interface SecretClients {
  /** IAM, for the policy simulator. */
  readonly iam: IAMClient;
  /** Secrets Manager, to describe the secrets. */
  readonly secretsManager: SecretsManagerClient;
  /** SSM, to describe the parameters. */
  readonly ssm: SSMClient;
  /** KMS, to resolve a secret's key. */
  readonly kms: KMSClient;
}

/**
 * The name an operator knows a secret by: a Secrets Manager secret's name without its 6-character suffix, an
 * SSM parameter's name.
 * @param arn the secret's or parameter's ARN
 */
export function secretLabel(arn: string): string {
  if (isSecretsManagerArn(arn)) return (arn.split(':')[6] ?? arn).replace(/-[A-Za-z0-9]{6}$/, '');
  const name = arn.slice(arn.indexOf(':parameter/') + ':parameter'.length);
  return name.includes('/', 1) ? name : name.slice(1);
}

/**
 * Checks each secret of the running task definition (`container.secrets`, and the database's credentials when the
 * environment has one): it exists, the execution role may read it, and may decrypt it with its KMS key.
 * @param clients IAM, Secrets Manager, SSM and KMS clients
 * @param manifest the environment's manifest
 * @param task the running task's execution role and secrets
 */
export async function checkSecrets(
  clients: SecretClients,
  manifest: Manifest,
  task: Pick<RunningTask, 'executionRoleArn' | 'secrets'>,
): Promise<Finding[]> {
  if (task.secrets.length === 0) return [{ link: 'secrets', status: 'ok', summary: 'the task definition injects no secrets' }];
  return Promise.all(task.secrets.map((secret) => checkSecret(clients, manifest, secret, task.executionRoleArn)));
}

/**
 * A secret Secrets Manager will delete: ECS can no longer read it, and restoring it is the fix.
 * @param link the finding's link
 * @param arn the secret's ARN
 * @param deletedDate when Secrets Manager deletes it
 * @param details the finding's evidence
 */
function scheduledForDeletion(link: string, arn: string, deletedDate: Date, details: string[]): Finding {
  return {
    link,
    status: 'fail',
    summary: `${arn} is scheduled for deletion on ${deletedDate.toISOString().slice(0, 10)}: ECS cannot read it`,
    details,
    fix: `restore it: aws secretsmanager restore-secret --secret-id ${arn}`,
  };
}

/**
 * One secret the execution role reads for the container.
 * @param secret the resource and the variables it fills
 * @param roleArn the execution role, when the task definition names one
 */
async function checkSecret(clients: SecretClients, manifest: Manifest, secret: TaskSecret, roleArn: string | undefined): Promise<Finding> {
  const { arn } = secret;
  const link = `secret ${secretLabel(arn)}`;
  const missingFix =
    arn === manifest.database?.secretArn
      ? `${redeployOf(manifest)} re-creates the stack's database secret`
      : `create it, or correct container.secrets (${secret.variables.join(', ')}) of environments.${manifest.environment} in the config and run ${redeployOf(manifest)}`;
  const secretsManager = isSecretsManagerArn(arn);
  const described = await describeContainerSecret(clients, arn);
  const details: string[] = [`injected as ${secret.variables.join(', ')}`];
  if (!described) return { link, status: 'fail', summary: `${arn} does not exist: tasks fail to start`, details, fix: missingFix };
  if (described.deletedDate) return scheduledForDeletion(link, arn, described.deletedDate, details);
  if (!roleArn) {
    return {
      link,
      status: 'fail',
      summary: 'exists, but the task definition names no execution role to read it: tasks fail to start',
      details,
      fix: `${redeployOf(manifest)} registers the stack's task definition, with its execution role`,
    };
  }
  // the calls the ECS agent makes with the execution role (ECS developer guide, specifying sensitive data).
  const readAction = secretsManager ? 'secretsmanager:GetSecretValue' : 'ssm:GetParameters';
  const read = (await simulateRoleAction(clients.iam, roleArn, readAction, [arn])).get(arn) ?? 'implicitDeny';
  if (read !== 'allowed') {
    return {
      link,
      status: 'fail',
      summary: `the execution role ${roleNameOf(roleArn)} may not ${readAction} on it (${read})`,
      details,
      fix: `${redeployOf(manifest)} grants the execution role exactly container.secrets; if it does and this stays, look for a deny (an SCP or a permissions boundary)`,
    };
  }
  details.push(`${readAction}: allowed`);

  const keyId = described.kmsKeyId;
  // an SSM String or StringList is not encrypted; only a SecureString has a key.
  if (!secretsManager && described.parameterType !== 'SecureString') {
    details.push(`a ${described.parameterType ?? 'plain'} parameter: no KMS key to decrypt with`);
    return { link, status: 'ok', summary: `exists, the execution role may read it`, details };
  }
  // the AWS managed keys (aws/secretsmanager, aws/ssm) let every principal of the account use them through their
  // service, and their key policies cannot be changed (KMS developer guide, "AWS managed keys"; Secrets Manager user
  // guide, "Secret encryption and decryption"): nothing to check.
  if (keyId === undefined || isAwsManagedAlias(keyId)) {
    details.push(
      `encrypted with the AWS managed key ${secretsManager ? 'aws/secretsmanager' : 'aws/ssm'}: its key policy admits the role, no check needed`,
    );
    return { link, status: 'ok', summary: 'exists, the execution role may read and decrypt it', details };
  }
  const key = await describeKmsKey(clients.kms, keyId);
  if (!key) {
    return {
      link,
      status: 'fail',
      summary: `its KMS key ${keyId} does not exist: nobody can decrypt it`,
      details,
      fix: `re-create the secret with a key that exists, then ${redeployOf(manifest)}`,
    };
  }
  if (key.manager === 'AWS') {
    details.push(`encrypted with an AWS managed key (${key.arn}): its key policy admits the role, no check needed`);
    return { link, status: 'ok', summary: 'exists, the execution role may read and decrypt it', details };
  }
  if (key.state !== 'Enabled') {
    return {
      link,
      status: 'fail',
      summary: `its KMS key ${key.arn} is ${key.state}: nobody can decrypt it`,
      details,
      fix: `enable the key (aws kms enable-key --key-id ${key.arn}) or cancel its deletion`,
    };
  }
  const decrypt = (await simulateRoleAction(clients.iam, roleArn, 'kms:Decrypt', [key.arn])).get(key.arn) ?? 'implicitDeny';
  if (decrypt === 'explicitDeny') {
    return {
      link,
      status: 'fail',
      summary: `a policy of ${roleNameOf(roleArn)} denies kms:Decrypt on ${key.arn}`,
      details,
      fix: 'remove the deny from the role, its permissions boundary or the SCPs',
    };
  }
  if (decrypt !== 'allowed') {
    // the simulator reads the role's own policies, not the key policy, which may name the role by itself.
    return {
      link,
      status: 'warn',
      summary: `the execution role's policies do not allow kms:Decrypt on its key ${key.arn}; unless the key policy names the role, tasks fail to start`,
      details,
      fix: `allow ${roleArn} kms:Decrypt in the key policy of ${key.arn}, or encrypt the secret with the AWS managed key`,
    };
  }
  details.push('kms:Decrypt on its key: allowed');
  return { link, status: 'ok', summary: 'exists, the execution role may read and decrypt it', details };
}

/**
 * Checks that the next release's image exists and is built for the environment's architecture: a multi-platform
 * index or list that lists it. A single-platform manifest names its architecture only in its config blob, which
 * the ECR API does not describe (BatchGetImage returns the manifest, DescribeImages no platform), so that is a warning.
 * @param ecr an ECR client
 * @param manifest the environment's manifest
 * @param image the tag, and its digest when the caller found it
 */
export async function checkImage(
  ecr: ECRClient,
  manifest: Pick<Manifest, 'app' | 'environment' | 'repository' | 'architecture'>,
  image: PreflightImage,
): Promise<Finding> {
  const link = 'image';
  const repository = manifest.repository.name;
  const reference = `${repository}:${image.tag}`;
  const read = await readImageManifest(ecr, repository, image.digest ? { imageDigest: image.digest } : { imageTag: image.tag });
  if (!read) {
    return {
      link,
      status: 'fail',
      summary: `no image ${reference} in ECR (${image.source})`,
      fix: `push it (has the build for ${image.tag} run?), or name another with --tag`,
    };
  }
  const architecture = manifest.architecture;
  if (!architecture)
    return {
      ...olderStack(link, manifest, 'architecture'),
      summary: `${reference} exists; its architecture is not checked: the manifest names none`,
    };
  const wanted = `linux/${PLATFORM_ARCHITECTURE[architecture]}`;
  const platforms = manifestPlatforms(read);
  const runs = `${manifest.environment} runs ${architecture} (${wanted})`;
  if (platforms === undefined) {
    return {
      link,
      status: 'warn',
      summary: `cannot tell the architecture of the single-platform image ${reference}; ${runs}`,
      details: [`manifest type ${read.mediaType}: its architecture is only in the image's config blob`],
      fix: `push a multi-arch index (docker buildx build --platform linux/amd64,linux/arm64 --push) so verify can check it`,
    };
  }
  if (!platforms.includes(wanted)) {
    return {
      link,
      status: 'fail',
      summary: `${reference} is built for ${platforms.join(', ') || 'no platform'}, not ${wanted}; ${runs}: its tasks would not start`,
      fix: `build it for ${wanted} too (docker buildx build --platform ${wanted},… --push), or set environments.${manifest.environment}.architecture to match`,
    };
  }
  return { link, status: 'ok', summary: `${reference} (${image.source}) lists ${wanted}` };
}

/**
 * Checks that the application's and ECS Exec's log groups exist. The awslogs driver creates no group unless
 * asked (`awslogs-create-group`, default false; ECS developer guide, awslogs log driver), and a task whose group
 * is gone stops with CannotStartContainerError "The specified log group does not exist" (seen in
 * Rayraegah/terraform-aws-hasura #25): that fails. Without the exec group only ECS Exec sessions lose their log: a warning.
 * @param logs a CloudWatch Logs client
 * @param manifest the environment's manifest
 */
export async function checkLogGroups(logs: CloudWatchLogsClient, manifest: Manifest): Promise<Finding> {
  const link = 'log groups';
  const names = [manifest.logGroupName, manifest.execLogGroupName];
  const exists = await Promise.all(names.map((name) => logGroupExists(logs, name)));
  const missing = names.filter((_, i) => !exists[i]);
  const fix = `${redeployOf(manifest)} creates ${missing.length === 1 ? 'it' : 'them'}`;
  if (!exists[0]) return { link, status: 'fail', summary: `${missing.join(' and ')} missing: tasks cannot start`, fix };
  if (!exists[1]) return { link, status: 'warn', summary: `${manifest.execLogGroupName} missing: ECS Exec sessions are not logged`, fix };
  return { link, status: 'ok', summary: `${names.join(' and ')} exist` };
}

/**
 * Checks that the group holds a release at the service's largest: twice `autoScaling.maxTasks` when the service
 * scales, else twice its desired count; the arithmetic of doctor's `release capacity` link.
 * @param clients the run's clients
 * @param manifest the environment's manifest
 * @param task the running task's size and the service's count
 */
export async function checkPreflightCapacity(
  clients: AwsClients,
  manifest: Manifest,
  task: Pick<RunningTask, 'need' | 'desiredCount'>,
): Promise<Finding> {
  const link = 'release capacity';
  const ecs = clients.get(ECSClient);
  const [target, listing] = await Promise.all([
    readScalableTarget(clients.get(ApplicationAutoScalingClient), manifest),
    listEnvironmentInstances(
      { autoScaling: clients.get(AutoScalingClient), ec2: clients.get(EC2Client), ecs, ssm: clients.get(SSMClient) },
      manifest,
    ),
  ]);
  if (!task.need) {
    return {
      link,
      status: 'warn',
      summary: 'not checked: the task definition names no memory',
      fix: 'run berth doctor for the capacity links',
    };
  }
  const finding = checkReleaseCapacity(listing, manifest, task.need, {
    desiredCount: task.desiredCount,
    ...(target ? { maxTasks: target.maxCapacity } : {}),
  });
  if (!finding) {
    return {
      link,
      status: 'warn',
      summary: 'not checked: no running instance tells the instance type',
      fix: `run berth doctor ${manifest.environment}: its Auto Scaling group link says why no instance runs`,
    };
  }
  return finding;
}

/**
 * Runs every pre-flight check: reads only, never writes. Each check that cannot be read becomes a warning of
 * its own, so one denied permission does not hide the rest.
 * @param clients the run's clients
 * @param manifest the environment's manifest, read and validated
 * @param options the image of the next release and the clock
 * @returns the findings: manifest schema, execution role, secrets, image, log groups, certificate, release capacity
 */
export async function runPreflight(clients: AwsClients, manifest: Manifest, options: PreflightOptions): Promise<Finding[]> {
  const rerun = options.rerun ?? 'verify';
  const iam = clients.get(IAMClient);
  // one read of what runs serves three checks; each that needs it reports its own failure to read it.
  const running = readRunningTask(clients.get(ECSClient), manifest);
  running.catch(() => undefined);
  const secretClients = {
    iam,
    secretsManager: clients.get(SecretsManagerClient),
    ssm: clients.get(SSMClient),
    kms: clients.get(KMSClient),
  };
  const all = await Promise.all([
    [checkManifestSchema(manifest)],
    safely('execution role', async () => checkExecutionRole(iam, manifest, (await running).executionRoleArn), rerun),
    safely('secrets', async () => checkSecrets(secretClients, manifest, await running), rerun),
    safely('image', () => checkImage(clients.get(ECRClient), manifest, options.image), rerun),
    safely('log groups', () => checkLogGroups(clients.get(CloudWatchLogsClient), manifest), rerun),
    safely('certificate', () => checkCertificate(clients.get(ACMClient), manifest, options.now), rerun),
    safely('release capacity', async () => checkPreflightCapacity(clients, manifest, await running), rerun),
  ]);
  return all.flat();
}

/** An environment before its first deploy, as the config describes it: what `berth verify` checks without a manifest. */
export interface FirstDeploy {
  /** the app name: its stack is `<app>-<env>`, its repository (the shared stack's) `<app>`. */
  readonly app: string;
  /** pre or live. */
  readonly environment: Manifest['environment'];
  /** the repository the first deploy pulls from. */
  readonly repositoryName: string;
  /** the CPU architecture of the environment's instances. */
  readonly architecture: ManifestArchitecture;
  /** `container.secrets`: name to ARN. */
  readonly secrets: Readonly<Record<string, string>>;
}

/**
 * What an environment's first deploy needs, checked from the config before there is a manifest: the first deploy
 * waits for healthy tasks, and tasks without their image or secrets never start, so CloudFormation waits and then
 * rolls the stack back. The image and each secret are checked; what the deploy itself creates is listed as such.
 * @param clients the run's clients
 * @param first the environment as the config describes it
 * @param image the image the first deploy runs
 */
export async function runFirstDeployPreflight(clients: AwsClients, first: FirstDeploy, image: PreflightImage): Promise<Finding[]> {
  const rerun = 'verify';
  const stack = `${first.app}-${first.environment}`;
  const created = (link: string, what: string): Finding => ({
    link,
    status: 'skip',
    summary: `${what}: checked once ${stack} is deployed`,
  });
  const secrets = Object.entries(first.secrets);
  const all = await Promise.all([
    [
      {
        link: 'manifest schema',
        status: 'skip',
        summary: `no manifest: ${stack} is not deployed yet; these are the checks of its first deploy`,
      } as Finding,
    ],
    [created('execution role', 'the first deploy creates it, with exactly the secrets below')],
    secrets.length === 0
      ? [{ link: 'secrets', status: 'ok', summary: 'container.secrets names none' } as Finding]
      : Promise.all(
          secrets.map(([name, arn]) => safely(`secret ${secretLabel(arn)}`, () => checkSecretExists(clients, first, name, arn), rerun)),
        ),
    safely(
      'image',
      () => checkImage(clients.get(ECRClient), { ...first, repository: { name: first.repositoryName, uri: first.repositoryName } }, image),
      rerun,
    ),
    [created('log groups', 'the first deploy creates them')],
    [created('certificate', 'the first deploy requests it and validates it through Route 53')],
    [created('release capacity', 'cdk synth checked it against the config')],
  ]);
  return all.flat(2) as Finding[];
}

/**
 * One secret of `container.secrets` before the first deploy: it exists and is not being deleted. Whether the
 * execution role may read it waits for the role, which the first deploy creates with exactly these secrets.
 * @param clients the run's clients
 * @param first the environment as the config describes it
 * @param name the variable it fills
 * @param arn the secret's or parameter's ARN
 */
async function checkSecretExists(clients: AwsClients, first: FirstDeploy, name: string, arn: string): Promise<Finding> {
  const link = `secret ${secretLabel(arn)}`;
  const details = [`injected as ${name}`];
  const described = await describeContainerSecret({ secretsManager: clients.get(SecretsManagerClient), ssm: clients.get(SSMClient) }, arn);
  if (!described) {
    return {
      link,
      status: 'fail',
      summary: `${arn} does not exist: the first deploy's tasks would not start`,
      details,
      fix: `create it, or correct container.secrets (${name}) of environments.${first.environment} in the config`,
    };
  }
  if (described.deletedDate) return scheduledForDeletion(link, arn, described.deletedDate, details);
  return { link, status: 'ok', summary: 'exists; the first deploy lets the execution role read it', details };
}

/**
 * The one line a release refuses with when a pre-flight check fails: the first failing check and its fix.
 * @param findings from {@link runPreflight}
 * @param verifyCommand the `berth verify` command line that shows every check
 * @returns the line, or undefined when nothing fails
 */
export function preflightRefusal(findings: readonly Finding[], verifyCommand: string): string | undefined {
  const failing = findings.filter((f) => f.status === 'fail');
  if (failing.length === 0) return undefined;
  const first = failing[0];
  const more = failing.length > 1 ? ` (and ${failing.length - 1} more failing check${failing.length === 2 ? '' : 's'})` : '';
  return `pre-flight check ${first.link} fails: ${first.summary}; fix: ${first.fix ?? 'see berth verify'}${more}; ${verifyCommand} shows every check`;
}
