import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** Properties of {@link LogsKey}. */
export interface LogsKeyProps {
  /** what the key's log groups hold, for the key description. */
  readonly purpose: string;
}

/**
 * A customer-managed KMS key, rotated yearly, that CloudWatch Logs may use for the log groups of this
 * account and region only: log groups are encrypted with a key the account controls and can audit.
 */
export class LogsKey extends Construct {
  /** the key to pass as a log group's `encryptionKey`. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: LogsKeyProps) {
    super(scope, id);
    const { region, account, partition } = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: `berth: encrypts ${props.purpose}`,
      enableKeyRotation: true,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*` },
        },
      }),
    );
    // only AWS services (CloudWatch Logs here) may create grants on the key, never a person or a role.
    denyGrantsToPeople(this.key);
  }
}

/**
 * Lets only AWS services create grants on a key, never a person or a role: a grant would give its holder the key's
 * use outside the key policy.
 * @param key the key
 */
export function denyGrantsToPeople(key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: {
        BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
      },
    }),
  );
}
