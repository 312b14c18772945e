import { IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DescribeParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  checkSecrets,
  preflightRefusal,
  secretLabel,
  secretResourceArn,
  taskSecrets,
  unreadableManifestSchema,
} from '../../../scripts/checks/preflight';
import { manifestPlatforms } from '../../../scripts/aws/ecr-image';
import { isAwsManagedAlias, parameterNamesOf } from '../../../scripts/aws/secrets';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import {
  EXECUTION_ROLE_ARN,
  givenPreflightOk,
  givenSimulatedDecisions,
  imageIndex,
  PARAMETER_ARN,
  SECRET_ARN,
  SECRET_KEY_ARN,
} from '../../_helpers/preflight';

const clients = {
  iam: new IAMClient({ region: 'eu-west-1' }),
  kms: new KMSClient({ region: 'eu-west-1' }),
  secretsManager: new SecretsManagerClient({ region: 'eu-west-1' }),
  ssm: new SSMClient({ region: 'eu-west-1' }),
};
const manifest = exampleManifest('live');

beforeEach(() => {
  resetAwsMocks();
  givenPreflightOk(manifest, { instances: false });
});

/** The running task of the release world: the execution role, one secret in Secrets Manager and one SSM parameter. */
const task = {
  executionRoleArn: EXECUTION_ROLE_ARN,
  secrets: [
    { arn: SECRET_ARN, variables: ['API_KEY'] },
    { arn: PARAMETER_ARN, variables: ['DB_PASSWORD'] },
  ],
};

async function secret(name: 'API_KEY' | 'DB_PASSWORD') {
  const link = name === 'API_KEY' ? 'secret berth/api-key' : 'secret /berth/db-password';
  return (await checkSecrets(clients, manifest, task)).find((f) => f.link === link)!;
}

describe('the secrets check', () => {
  test('a secret scheduled for deletion fails with the command that restores it', async () => {
    // GIVEN
    aws.secretsManager.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, DeletedDate: new Date('2026-12-10T00:00:00Z') });

    // WHEN / THEN
    expect(await secret('API_KEY')).toMatchObject({
      status: 'fail',
      summary: `${SECRET_ARN} is scheduled for deletion on 2026-12-10: ECS cannot read it`,
      fix: `restore it: aws secretsmanager restore-secret --secret-id ${SECRET_ARN}`,
    });
  });

  test('a secret on the AWS managed key needs no key check', async () => {
    // GIVEN DescribeSecret names no key: aws/secretsmanager
    aws.secretsManager.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN });

    // WHEN
    const finding = await secret('API_KEY');

    // THEN
    expect(finding.status).toBe('ok');
    expect(finding.details).toContain(
      'encrypted with the AWS managed key aws/secretsmanager: its key policy admits the role, no check needed',
    );
    expect(aws.kms).not.toHaveReceivedCommand(DescribeKeyCommand);
    expect(aws.iam).not.toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, { ActionNames: ['kms:Decrypt'] });
  });

  test('a key named by an alias KMS resolves to an AWS managed key needs no decrypt check either', async () => {
    // GIVEN
    aws.secretsManager.on(DescribeSecretCommand).resolves({ ARN: SECRET_ARN, KmsKeyId: 'alias/shared' });
    aws.kms
      .on(DescribeKeyCommand, { KeyId: 'alias/shared' })
      .resolves({ KeyMetadata: { KeyId: 'k', Arn: SECRET_KEY_ARN, KeyManager: 'AWS' } });

    // WHEN / THEN
    expect((await secret('API_KEY')).status).toBe('ok');
    expect(aws.iam).not.toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, { ActionNames: ['kms:Decrypt'] });
  });

  test('a disabled key fails: nobody can decrypt the secret', async () => {
    // GIVEN
    aws.kms
      .on(DescribeKeyCommand)
      .resolves({ KeyMetadata: { KeyId: 'k', Arn: SECRET_KEY_ARN, KeyManager: 'CUSTOMER', KeyState: 'Disabled' } });

    // WHEN / THEN
    expect(await secret('API_KEY')).toMatchObject({
      status: 'fail',
      summary: `its KMS key ${SECRET_KEY_ARN} is Disabled: nobody can decrypt it`,
    });
  });

  test('an explicit deny of kms:Decrypt fails, since no key policy can outweigh it', async () => {
    // GIVEN
    givenSimulatedDecisions((action) => (action === 'kms:Decrypt' ? 'explicitDeny' : 'allowed'));

    // WHEN / THEN
    expect((await secret('API_KEY')).status).toBe('fail');
  });

  test('a plain String parameter has no key to check', async () => {
    // GIVEN
    aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [{ Name: '/berth/db-password', Type: 'String' }] });

    // WHEN
    const finding = await secret('DB_PASSWORD');

    // THEN
    expect(finding.status).toBe('ok');
    expect(finding.details).toContain('a String parameter: no KMS key to decrypt with');
  });

  test("the database's credentials are one secret for all their variables, which cdk deploy re-creates", async () => {
    // GIVEN a database whose secret is gone, injected by JSON key into five variables
    const databaseSecret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:DatabaseSecret3B817195-XyZaBc';
    aws.secretsManager
      .on(DescribeSecretCommand, { SecretId: databaseSecret })
      .rejects(Object.assign(new Error('no'), { name: 'ResourceNotFoundException' }));
    const database = {
      engine: 'mysql' as const,
      endpoint: 'db.example',
      port: 3306,
      secretArn: databaseSecret,
      clientTaskDefinitionFamily: 'berth-live-db-client',
      clientSecurityGroupId: 'sg-0123456789abcdef0',
    };
    const taskDefinition = {
      executionRoleArn: EXECUTION_ROLE_ARN,
      containerDefinitions: [
        {
          name: 'app',
          secrets: ['host', 'port', 'username', 'password', 'dbname'].map((key) => ({
            name: `DB_${key.toUpperCase()}`,
            valueFrom: `${databaseSecret}:${key}::`,
          })),
        },
        { name: 'log-router', secrets: [{ name: 'OTHER', valueFrom: SECRET_ARN }] },
      ],
    };

    // WHEN
    const secrets = taskSecrets(taskDefinition, { ...manifest, database });
    const findings = await checkSecrets(clients, { ...manifest, database }, { executionRoleArn: EXECUTION_ROLE_ARN, secrets });

    // THEN
    expect(secrets).toEqual([{ arn: databaseSecret, variables: ['DB_HOST', 'DB_PORT', 'DB_USERNAME', 'DB_PASSWORD', 'DB_DBNAME'] }]);
    expect(findings).toEqual([
      {
        link: 'secret DatabaseSecret3B817195',
        status: 'fail',
        summary: `${databaseSecret} does not exist: tasks fail to start`,
        details: ['injected as DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD, DB_DBNAME'],
        fix: "npx cdk deploy berth-live re-creates the stack's database secret",
      },
    ]);
  });

  test('a task definition without an execution role cannot get its secrets', async () => {
    // WHEN
    const finding = (await checkSecrets(clients, manifest, { secrets: task.secrets })).find((f) => f.link === 'secret berth/api-key');

    // THEN
    expect(finding).toMatchObject({
      status: 'fail',
      summary: 'exists, but the task definition names no execution role to read it: tasks fail to start',
    });
  });

  test('no secrets in the task definition is one ok finding', async () => {
    // WHEN
    const findings = await checkSecrets(clients, manifest, { executionRoleArn: EXECUTION_ROLE_ARN, secrets: [] });

    // THEN
    expect(findings).toEqual([{ link: 'secrets', status: 'ok', summary: 'the task definition injects no secrets' }]);
  });
});

describe('the helpers of the pre-flight', () => {
  test("a secret's valueFrom names its resource: a Secrets Manager ARN without JSON key, an SSM name as an ARN", () => {
    expect(secretResourceArn(`${SECRET_ARN}:password:AWSCURRENT:`, manifest)).toBe(SECRET_ARN);
    expect(secretResourceArn(PARAMETER_ARN, manifest)).toBe(PARAMETER_ARN);
    expect(secretResourceArn('/berth/db-password', manifest)).toBe(PARAMETER_ARN);
    expect(secretResourceArn('token', manifest)).toBe('arn:aws:ssm:eu-west-1:123456789012:parameter/token');
  });

  test('a secret is labelled by the name an operator knows it by', () => {
    expect([SECRET_ARN, PARAMETER_ARN, 'arn:aws:ssm:eu-west-1:123456789012:parameter/token'].map(secretLabel)).toEqual([
      'berth/api-key',
      '/berth/db-password',
      'token',
    ]);
  });

  test('an SSM parameter ARN stands for the name with and without its leading slash', () => {
    expect(parameterNamesOf('arn:aws:ssm:eu-west-1:123456789012:parameter/berth/x')).toEqual(['/berth/x', 'berth/x']);
  });

  test.each([
    ['alias/aws/ssm', true],
    ['arn:aws:kms:eu-west-1:123456789012:alias/aws/secretsmanager', true],
    ['alias/awsome', false],
    [SECRET_KEY_ARN, false],
  ])('%s is an AWS managed alias: %s', (keyId, managed) => {
    expect(isAwsManagedAlias(keyId)).toBe(managed);
  });

  test('an index lists its platforms; a single-platform manifest lists none', () => {
    expect(
      manifestPlatforms({ mediaType: 'application/vnd.oci.image.index.v1+json', manifest: imageIndex('linux/amd64', 'linux/arm64') }),
    ).toEqual(['linux/amd64', 'linux/arm64']);
    expect(
      manifestPlatforms({ mediaType: 'application/vnd.oci.image.manifest.v1+json', manifest: '{"schemaVersion":2,"layers":[]}' }),
    ).toBeUndefined();
  });

  test('a refusal names the first failing check, its fix, and how many more fail', () => {
    // GIVEN
    const findings = [
      { link: 'image', status: 'ok' as const, summary: 'fine' },
      { link: 'log groups', status: 'fail' as const, summary: '/a missing', fix: 'cdk deploy' },
      { link: 'certificate', status: 'fail' as const, summary: 'PENDING', fix: 'wait' },
      { link: 'release capacity', status: 'warn' as const, summary: 'close', fix: 'more' },
    ];

    // WHEN / THEN
    expect(preflightRefusal(findings, 'berth verify live --tag v1.4.0')).toBe(
      'pre-flight check log groups fails: /a missing; fix: cdk deploy (and 1 more failing check); berth verify live --tag v1.4.0 shows every check',
    );
    expect(
      preflightRefusal(
        findings.filter((f) => f.status !== 'fail'),
        'berth verify live',
      ),
    ).toBeUndefined();
  });

  test('an older manifest schema says to redeploy, a newer one to upgrade berth', () => {
    expect(
      unreadableManifestSchema(
        "manifest m has schema version 0, not the 1 this berth reads; redeploy the stack with this version's cdk deploy",
      ),
    ).toEqual({
      link: 'manifest schema',
      status: 'fail',
      summary: 'manifest m has schema version 0, not the 1 this berth reads',
      fix: 'redeploy the stack with cdk deploy',
    });
    expect(
      unreadableManifestSchema(
        'manifest m has schema version 2, newer than the 1 this berth reads; upgrade berth to the version that deployed the stack',
      ).fix,
    ).toBe('upgrade berth: this one reads version 1');
  });
});
