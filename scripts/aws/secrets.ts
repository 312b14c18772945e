import { DescribeSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { DescribeKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { withPermission } from './permission';

/** A configured secret as its service describes it. */
export interface SecretDescription {
  /** the KMS key that encrypts it, as the service names it (an id, key ARN, alias or alias ARN); absent for the AWS managed key of Secrets Manager. */
  readonly kmsKeyId?: string;
  /** when a Secrets Manager secret is scheduled for deletion: ECS can no longer read it. */
  readonly deletedDate?: Date;
  /** the SSM parameter's type (`SecureString`, `String`, `StringList`); absent for Secrets Manager. */
  readonly parameterType?: string;
}

/**
 * Whether a secret ARN names a Secrets Manager secret (else an SSM parameter).
 * @param arn the ARN from `container.secrets`
 */
export function isSecretsManagerArn(arn: string): boolean {
  return arn.split(':')[2] === 'secretsmanager';
}

/**
 * The names an SSM parameter ARN may stand for: a hierarchical name starts with `/`, which the ARN shares with
 * its `parameter/` separator (`parameter/berth/x` is `/berth/x`; aws-cdk-lib aws-ssm `arnForParameterName`,
 * aws/amazon-ecs-cli #1012), and a simple name without it has the same ARN form, so both are asked for.
 * @param arn an SSM parameter ARN
 */
export function parameterNamesOf(arn: string): string[] {
  const name = arn.slice(arn.indexOf(':parameter/') + ':parameter/'.length);
  return [`/${name}`, name];
}

/**
 * Describes a Secrets Manager secret; undefined when it does not exist.
 * @param client a Secrets Manager client
 * @param arn the secret's complete ARN
 */
export async function describeSecret(client: SecretsManagerClient, arn: string): Promise<SecretDescription | undefined> {
  try {
    const response = await withPermission('secretsmanager:DescribeSecret', () => client.send(new DescribeSecretCommand({ SecretId: arn })));
    return {
      // DescribeSecret omits KmsKeyId for a secret encrypted with aws/secretsmanager (Secrets Manager API reference, DescribeSecret).
      ...(response.KmsKeyId ? { kmsKeyId: response.KmsKeyId } : {}),
      ...(response.DeletedDate ? { deletedDate: response.DeletedDate } : {}),
    };
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
}

/**
 * Describes an SSM parameter (metadata only, never its value); undefined when it does not exist.
 * @param ssm an SSM client
 * @param arn the parameter's ARN
 */
export async function describeParameter(ssm: SSMClient, arn: string): Promise<SecretDescription | undefined> {
  const response = await withPermission('ssm:DescribeParameters', () =>
    ssm.send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: parameterNamesOf(arn) }] })),
  );
  const parameter = response.Parameters?.[0];
  if (!parameter) return undefined;
  return { ...(parameter.KeyId ? { kmsKeyId: parameter.KeyId } : {}), ...(parameter.Type ? { parameterType: parameter.Type } : {}) };
}

/**
 * Describes a container secret by the service its ARN names: a Secrets Manager secret or an SSM parameter;
 * undefined when it does not exist.
 * @param clients a Secrets Manager and an SSM client
 * @param arn the secret's or parameter's ARN
 */
export function describeContainerSecret(
  clients: { readonly secretsManager: SecretsManagerClient; readonly ssm: SSMClient },
  arn: string,
): Promise<SecretDescription | undefined> {
  return isSecretsManagerArn(arn) ? describeSecret(clients.secretsManager, arn) : describeParameter(clients.ssm, arn);
}

/** A KMS key as berth needs it: its ARN, who manages it, and its state. */
export interface KmsKey {
  /** the key's ARN, the resource `kms:Decrypt` is authorized on. */
  readonly arn: string;
  /** `AWS` for an AWS managed key, `CUSTOMER` for one the account created. */
  readonly manager: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, … */
  readonly state: string;
}

/**
 * Whether a key reference names an AWS managed key by its alias (`alias/aws/ssm`, `…:alias/aws/secretsmanager`):
 * the reserved `aws/` prefix belongs to AWS managed keys (KMS developer guide, aliases).
 * @param keyId a key id, key ARN, alias or alias ARN
 */
export function isAwsManagedAlias(keyId: string): boolean {
  return /(^|:)alias\/aws\//.test(keyId);
}

/**
 * Resolves a key reference (id, alias or their ARNs) to the key, through DescribeKey, which reads metadata only.
 * @param kms a KMS client
 * @param keyId the reference
 * @returns the key, or undefined when KMS does not know it
 */
export async function describeKmsKey(kms: KMSClient, keyId: string): Promise<KmsKey | undefined> {
  try {
    const response = await withPermission('kms:DescribeKey', () => kms.send(new DescribeKeyCommand({ KeyId: keyId })));
    const metadata = response.KeyMetadata;
    if (!metadata?.Arn) return undefined;
    return { arn: metadata.Arn, manager: metadata.KeyManager ?? 'CUSTOMER', state: metadata.KeyState ?? 'Enabled' };
  } catch (err) {
    if ((err as Error).name === 'NotFoundException') return undefined;
    throw err;
  }
}
