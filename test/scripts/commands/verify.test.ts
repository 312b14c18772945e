import { DescribeCertificateCommand } from '@aws-sdk/client-acm';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DescribeParametersCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { MANIFEST_SCHEMA_VERSION, type Manifest } from '../../../infra/manifest';
import type { Finding } from '../../../scripts/checks/findings';
import { createVerifyCommand } from '../../../scripts/commands/verify';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import {
  EXECUTION_ROLE_ARN,
  givenPreflightOk,
  givenSimulatedDecisions,
  imageIndex,
  PARAMETER_ARN,
  PREFLIGHT_LINKS,
  SECRET_ARN,
  SECRET_KEY_ARN,
  trustPolicy,
} from '../../_helpers/preflight';
import { exampleTaskDefinition, expectNoWrites, setUpWorld, type WorldOptions } from '../../_helpers/release-world';
import { runCommand } from '../../_helpers/run-command';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleRawConfig } from '../../_helpers/synth';

const NOW = new Date('2026-12-03T07:00:00Z');
const verify = createVerifyCommand({ now: () => NOW });

async function findingsOf(argv: readonly string[]) {
  const { code, out, err } = await runCommand(verify, [...argv, '--json']);
  const document = JSON.parse(out) as { status: string; tag: string; tagSource: string; findings: Finding[] };
  return { code, err, document, byLink: (link: string) => document.findings.find((f) => f.link === link)! };
}

/** Every call the test sent, as `client Command`; verify may only read. */
function sentCalls(): string[] {
  return Object.entries(aws).flatMap(([key, mock]) => mock.calls().map((c) => `${key} ${(c.args[0] as object).constructor.name}`));
}

/** A world whose manifest lacks the architecture, as a stack deployed before berth verify wrote it. */
function olderStack(options: WorldOptions = {}): Manifest {
  const { manifest } = setUpWorld(options);
  const { architecture: _architecture, ...older } = manifest;
  aws.ssm.on(GetParameterCommand, { Name: '/berth/berth/live/manifest' }).resolves({ Parameter: { Value: JSON.stringify(older) } });
  return older as Manifest;
}

describe('berth verify on a ready environment', () => {
  test('reports every check ok for the tag live records, sends only reads, and exits 0', async () => {
    // GIVEN live, which records v1.3.0
    setUpWorld();

    // WHEN
    const { code, out } = await runCommand(verify, ['live']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('berth verify live: berth:v1.3.0 (recorded in /berth/berth/live/image-tag)');
    const links = out
      .split('\n')
      .filter((l) => /^(ok|WARN|FAIL) /.test(l))
      .map((l) => [l.slice(0, 4).trim(), l.slice(6).split(/ {2,}/)[0].trim()]);
    expect(links).toEqual(PREFLIGHT_LINKS.map((link) => ['ok', link]));
    expect(out).toContain('every link is ok.');
    expect(aws.ecr).toHaveReceivedCommandWith(BatchGetImageCommand, { repositoryName: 'berth', imageIds: [{ imageTag: 'v1.3.0' }] });
    expectNoWrites();
    expect(sentCalls().filter((c) => !/ (Describe|Get|BatchGet|List|SimulatePrincipalPolicy)\w*Command$/.test(c))).toEqual([]);
  });

  test('checks pre against master on x86_64 unless --tag names another image', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre' });

    // WHEN
    const byDefault = await findingsOf(['pre']);
    const tagged = await findingsOf(['pre', '--tag', 'sha-abc']);

    // THEN
    expect([byDefault.code, byDefault.document.tag, byDefault.document.tagSource]).toEqual([EXIT.OK, 'master', "pre's master"]);
    expect(byDefault.byLink('image').summary).toBe("berth:master (pre's master) lists linux/amd64");
    expect([tagged.document.tag, tagged.document.tagSource]).toEqual(['sha-abc', '--tag']);
  });

  test('--json prints one document with the status, the tag and every finding', async () => {
    // GIVEN
    setUpWorld();

    // WHEN
    const { code, document } = await findingsOf(['live', '--tag', 'v1.4.0']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(document).toMatchObject({ status: 'ok', tag: 'v1.4.0', tagSource: '--tag' });
    expect(document.findings).toHaveLength(8);
    expect(document.findings[0]).toEqual({ link: 'manifest schema', status: 'ok', summary: 'version 1, the one this berth reads' });
  });

  test('a live --tag that is not a release tag is a usage error before any AWS call but the manifest', async () => {
    // GIVEN
    setUpWorld();

    // WHEN
    const { code, err } = await runCommand(verify, ['live', '--tag', 'latest']);

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('"latest" is not a release tag');
    expect(aws.ecr).not.toHaveReceivedCommand(BatchGetImageCommand);
  });
});

describe('berth verify on a manifest it cannot or can only partly check', () => {
  test('a manifest from a newer berth is one failing check that says to upgrade berth, exit 4', async () => {
    // GIVEN
    const { manifest } = setUpWorld();
    aws.ssm
      .on(GetParameterCommand, { Name: '/berth/berth/live/manifest' })
      .resolves({ Parameter: { Value: JSON.stringify({ ...manifest, schemaVersion: MANIFEST_SCHEMA_VERSION + 1 }) } });

    // WHEN
    const { code, document } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(document.findings).toEqual([
      {
        link: 'manifest schema',
        status: 'fail',
        summary: `manifest /berth/berth/live/manifest has schema version ${MANIFEST_SCHEMA_VERSION + 1}, newer than the ${MANIFEST_SCHEMA_VERSION} this berth reads`,
        fix: `upgrade berth: this one reads version ${MANIFEST_SCHEMA_VERSION}`,
      },
    ]);
  });

  test('a manifest from before verify warns to redeploy for the architecture, and checks the rest, exit 6', async () => {
    // GIVEN
    olderStack();

    // WHEN
    const { code, byLink, document } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(document.findings.filter((f) => f.status !== 'ok').map((f) => f.link)).toEqual(['image']);
    expect(byLink('image')).toEqual({
      link: 'image',
      status: 'warn',
      summary: 'berth:v1.3.0 exists; its architecture is not checked: the manifest names none',
      fix: 'redeploy the stack with cdk deploy (npx cdk deploy berth-live) so the manifest names it',
    });
    expect(aws.iam).toHaveReceivedCommand(GetRoleCommand);
  });
});

describe('berth verify finds what would stop the next release', () => {
  test('an execution role ECS tasks may not assume fails with the redeploy that restores its trust', async () => {
    // GIVEN
    setUpWorld();
    aws.iam.on(GetRoleCommand).resolves({ Role: { AssumeRolePolicyDocument: trustPolicy('ecs.amazonaws.com') } as never });

    // WHEN
    const { code, byLink } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('execution role')).toMatchObject({
      status: 'fail',
      summary:
        'ecs-tasks.amazonaws.com may not assume berth-live-ServiceTaskDefinitionExecutionRole-ABC: no task can pull its image or read its secrets',
      fix: 'npx cdk deploy berth-live restores the trust policy the stack gives it (Allow ecs-tasks.amazonaws.com sts:AssumeRole)',
    });
    expect(aws.iam).toHaveReceivedCommandWith(GetRoleCommand, { RoleName: 'berth-live-ServiceTaskDefinitionExecutionRole-ABC' });
  });

  test('a running task definition without an execution role warns, and its secrets fail', async () => {
    // GIVEN a revision someone registered by hand, without the role
    const { manifest } = setUpWorld();
    const running = exampleTaskDefinition('live', 7, `${manifest.repository.uri}:v1.3.0`);
    aws.ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: running.taskDefinitionArn })
      .resolves({ taskDefinition: { ...running, executionRoleArn: undefined }, tags: [] });

    // WHEN
    const { code, byLink } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('execution role')).toMatchObject({
      status: 'warn',
      fix: "npx cdk deploy berth-live registers the stack's task definition, which has one",
    });
    expect(byLink('secret berth/api-key').status).toBe('fail');
    expect(aws.iam).not.toHaveReceivedCommand(GetRoleCommand);
  });

  test('an execution role that is gone fails', async () => {
    // GIVEN
    setUpWorld();
    aws.iam.on(GetRoleCommand).rejects(Object.assign(new Error('not found'), { name: 'NoSuchEntityException' }));

    // WHEN
    const { byLink } = await findingsOf(['live']);

    // THEN
    expect(byLink('execution role')).toMatchObject({ status: 'fail', fix: 'npx cdk deploy berth-live creates it' });
  });

  test('a secret that does not exist fails with the setting to correct', async () => {
    // GIVEN
    setUpWorld();
    aws.secretsManager.on(DescribeSecretCommand).rejects(Object.assign(new Error('no'), { name: 'ResourceNotFoundException' }));

    // WHEN
    const { code, byLink } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('secret berth/api-key')).toEqual({
      link: 'secret berth/api-key',
      status: 'fail',
      summary: `${SECRET_ARN} does not exist: tasks fail to start`,
      details: ['injected as API_KEY'],
      fix: 'create it, or correct container.secrets (API_KEY) of environments.live in the config and run npx cdk deploy berth-live',
    });
    expect(byLink('secret /berth/db-password').status).toBe('ok');
  });

  test('an SSM parameter is looked up under both names its ARN may stand for', async () => {
    // GIVEN
    setUpWorld();
    aws.ssm.on(DescribeParametersCommand).resolves({ Parameters: [] });

    // WHEN
    const { byLink } = await findingsOf(['live']);

    // THEN
    expect(byLink('secret /berth/db-password')).toMatchObject({
      status: 'fail',
      summary: `${PARAMETER_ARN} does not exist: tasks fail to start`,
    });
    expect(aws.ssm).toHaveReceivedCommandWith(DescribeParametersCommand, {
      ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: ['/berth/db-password', 'berth/db-password'] }],
    });
  });

  test('an execution role that may not read a secret fails; one whose policies do not allow its key warns', async () => {
    // GIVEN the role may read the parameter but not the secret, and decrypt nothing
    setUpWorld();
    givenSimulatedDecisions((action) => (action === 'ssm:GetParameters' ? 'allowed' : 'implicitDeny'));
    const denied = await findingsOf(['live']);
    givenSimulatedDecisions((action) => (action === 'kms:Decrypt' ? 'implicitDeny' : 'allowed'));

    // WHEN
    const keyDenied = await findingsOf(['live']);

    // THEN
    expect(denied.byLink('secret berth/api-key')).toMatchObject({
      status: 'fail',
      summary:
        'the execution role berth-live-ServiceTaskDefinitionExecutionRole-ABC may not secretsmanager:GetSecretValue on it (implicitDeny)',
    });
    expect(keyDenied.code).toBe(EXIT.WARNINGS);
    expect(keyDenied.byLink('secret berth/api-key')).toMatchObject({
      status: 'warn',
      summary: `the execution role's policies do not allow kms:Decrypt on its key ${SECRET_KEY_ARN}; unless the key policy names the role, tasks fail to start`,
    });
    // the parameter uses aws/ssm: no decrypt is simulated for it.
    expect(keyDenied.byLink('secret /berth/db-password')).toMatchObject({ status: 'ok' });
    expect(keyDenied.byLink('secret /berth/db-password').details).toContain(
      'encrypted with the AWS managed key aws/ssm: its key policy admits the role, no check needed',
    );
    expect(aws.iam).toHaveReceivedCommandWith(SimulatePrincipalPolicyCommand, {
      PolicySourceArn: EXECUTION_ROLE_ARN,
      ActionNames: ['kms:Decrypt'],
      ResourceArns: [SECRET_KEY_ARN],
    });
  });

  test('an image without the environment architecture fails; a single-platform one warns that it cannot tell', async () => {
    // GIVEN live runs arm64; v1.4.0 is built for amd64 only
    setUpWorld();
    aws.ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imageManifest: imageIndex('linux/amd64') }],
    });
    const amd64Only = await findingsOf(['live', '--tag', 'v1.4.0']);
    aws.ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          imageManifest: JSON.stringify({ schemaVersion: 2, config: { digest: 'sha256:c' }, layers: [] }),
        },
      ],
    });

    // WHEN
    const single = await findingsOf(['live', '--tag', 'v1.4.0']);

    // THEN
    expect(amd64Only.code).toBe(EXIT.FAILED);
    expect(amd64Only.byLink('image')).toMatchObject({
      status: 'fail',
      summary: 'berth:v1.4.0 is built for linux/amd64, not linux/arm64; live runs arm64 (linux/arm64): its tasks would not start',
    });
    expect(single.code).toBe(EXIT.WARNINGS);
    expect(single.byLink('image')).toMatchObject({
      status: 'warn',
      summary: 'cannot tell the architecture of the single-platform image berth:v1.4.0; live runs arm64 (linux/arm64)',
      fix: 'push a multi-arch index (docker buildx build --platform linux/amd64,linux/arm64 --push) so verify can check it',
    });
    expect(aws.ecr).toHaveReceivedCommandWith(BatchGetImageCommand, {
      acceptedMediaTypes: expect.arrayContaining([
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ]),
    });
  });

  test('an image that is not in ECR fails', async () => {
    // GIVEN
    setUpWorld();
    aws.ecr.on(BatchGetImageCommand).resolves({ images: [], failures: [{ failureCode: 'ImageNotFound' }] });

    // WHEN
    const { byLink } = await findingsOf(['live', '--tag', 'v9.9.9']);

    // THEN
    expect(byLink('image')).toMatchObject({ status: 'fail', summary: 'no image berth:v9.9.9 in ECR (--tag)' });
  });

  test('a missing log group fails; a longer name under the same prefix does not count', async () => {
    // GIVEN only a longer name starts with the app's log group
    setUpWorld();
    aws.logs
      .on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/berth/berth/live/app' })
      .resolves({ logGroups: [{ logGroupName: '/berth/berth/live/app-old' }] });

    // WHEN
    const { byLink } = await findingsOf(['live']);

    // THEN
    expect(byLink('log groups')).toEqual({
      link: 'log groups',
      status: 'fail',
      summary: '/berth/berth/live/app missing: tasks cannot start',
      fix: 'npx cdk deploy berth-live creates it',
    });
  });

  test('a missing ECS Exec log group only warns: the tasks still start', async () => {
    // GIVEN
    setUpWorld();
    aws.logs.on(DescribeLogGroupsCommand, { logGroupNamePrefix: '/berth/berth/live/exec' }).resolves({ logGroups: [] });

    // WHEN
    const { code, byLink } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(byLink('log groups')).toMatchObject({
      status: 'warn',
      summary: '/berth/berth/live/exec missing: ECS Exec sessions are not logged',
    });
  });

  test('a certificate that is not issued fails', async () => {
    // GIVEN
    const { manifest } = setUpWorld();
    aws.acm.on(DescribeCertificateCommand).resolves({
      Certificate: { CertificateArn: manifest.certificateArn, DomainName: manifest.domainName, Status: 'PENDING_VALIDATION' },
    });

    // WHEN
    const { byLink } = await findingsOf(['live']);

    // THEN
    expect(byLink('certificate')).toMatchObject({ status: 'fail', summary: 'certificate is PENDING_VALIDATION, not ISSUED' });
  });

  test('release capacity counts autoScaling.maxTasks, not the tasks running now', async () => {
    // GIVEN 2 tasks run, up to 6 when scaled: a release needs room for 12; 4 t4g.medium hold 8
    setUpWorld({ scaling: { min: 2, max: 6 } });

    // WHEN
    const { code, byLink } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    const capacity = byLink('release capacity');
    expect(capacity.status).toBe('fail');
    expect(capacity.summary).toMatch(/a release needs 12, max 4 instances hold 8: the next release cannot start all its green tasks$/);
    expect(capacity.details?.[0]).toBe('counted 6 tasks: autoScaling.maxTasks (the service runs 2 now)');
  });

  test('a call AWS denies is a warning that names the permission, and the other checks still run', async () => {
    // GIVEN
    setUpWorld();
    aws.iam.on(GetRoleCommand).rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));

    // WHEN
    const { code, byLink, document } = await findingsOf(['live']);

    // THEN
    expect(code).toBe(EXIT.WARNINGS);
    expect(byLink('execution role')).toMatchObject({
      status: 'warn',
      summary: expect.stringContaining('could not check: AWS denied iam:GetRole'),
      fix: 'fix the cause above and run verify again',
    });
    expect(document.findings.filter((f) => f.status !== 'ok').map((f) => f.link)).toEqual(['execution role']);
  });
});

describe('berth verify before the first deploy', () => {
  /** A config whose live gets one secret of each kind, and the stacks not deployed: no manifest, no image-tag parameter. */
  function notDeployed(): string {
    const world = setUpWorld();
    const notFound = Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
    aws.ssm.on(GetParameterCommand).rejects(notFound);
    givenPreflightOk(world.manifest, { instances: false });
    const raw = exampleRawConfig() as { environments: { live: Record<string, unknown> } };
    raw.environments.live.container = { port: 8080, secrets: { API_KEY: SECRET_ARN, DB_PASSWORD: PARAMETER_ARN } };
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-verify-')), 'config.json');
    fs.writeFileSync(file, JSON.stringify(raw));
    return file;
  }

  test("checks the config's secrets and the first image, says what waits for the deploy, and reads only", async () => {
    // GIVEN
    const config = notDeployed();

    // WHEN
    const { code, out } = await runCommand(verify, ['live', '--config', config]);

    // THEN: live's first deploy runs initialImageTag on arm64, and both secrets exist.
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('berth verify live: not deployed yet; its first deploy runs berth:v1.0.0 (environments.live.initialImageTag');
    expect(out).toMatch(/ok {4}secret berth\/api-key +exists; the first deploy lets the execution role read it/);
    expect(out).toMatch(/ok {4}secret \/berth\/db-password/);
    expect(out).toMatch(/ok {4}image +berth:v1\.0\.0 .*lists linux\/arm64/);
    expect(out).toMatch(/skip {2}execution role +the first deploy creates it/);
    expect(aws.ecr).toHaveReceivedCommandWith(BatchGetImageCommand, { repositoryName: 'berth', imageIds: [{ imageTag: 'v1.0.0' }] });
    expectNoWrites();
    expect(sentCalls().filter((c) => !/ (Describe|Get|BatchGet)\w*Command$/.test(c))).toEqual([]);
  });

  test('a missing secret and an image without the architecture fail, with their fixes, before CloudFormation would wait for tasks', async () => {
    // GIVEN the secret deleted and the image built for amd64 only
    const config = notDeployed();
    aws.secretsManager.on(DescribeSecretCommand).rejects(Object.assign(new Error('gone'), { name: 'ResourceNotFoundException' }));
    aws.ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imageManifest: imageIndex('linux/amd64') }],
      failures: [],
    });

    // WHEN
    const { code, byLink } = await findingsOf(['live', '--config', config]);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(byLink('secret berth/api-key')).toMatchObject({
      status: 'fail',
      fix: 'create it, or correct container.secrets (API_KEY) of environments.live in the config',
    });
    expect(byLink('image')).toMatchObject({ status: 'fail' });
    expect(byLink('image').summary).toContain('not linux/arm64');
  });
});
