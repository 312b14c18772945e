import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import * as fs from 'node:fs';
import { awsCliEnvironment, awsCliOptions } from '../../../scripts/cli/environment';
import { followSettings, githubRunUrl, openSession } from '../../../scripts/cli/session';
import { aws } from '../../_helpers/mock-aws';
import { setUpWorld, writeConfig } from '../../_helpers/release-world';
import { RefusedError, UsageError } from '../../../scripts/core/errors';

describe('followSettings', () => {
  test('leaves the timeout to the release timing and polls every 5 seconds by default', () => {
    expect(followSettings({}, {})).toEqual({ intervalMs: 5000 });
  });

  test('reads --timeout and BERTH_POLL_INTERVAL_MS, ignoring a bad interval', () => {
    expect(followSettings({ timeout: '2h' }, { BERTH_POLL_INTERVAL_MS: '10' })).toEqual({ timeoutSeconds: 7200, intervalMs: 10 });
    expect(followSettings({}, { BERTH_POLL_INTERVAL_MS: 'fast' }).intervalMs).toBe(5000);
  });

  test('a malformed --timeout is a usage error', () => {
    expect(() => followSettings({ timeout: '10' }, {})).toThrow(UsageError);
  });
});

describe('openSession', () => {
  beforeEach(() => setUpWorld());

  test('builds every client with adaptive retry in the --region given, and reads the manifest', async () => {
    // GIVEN
    const config = writeConfig(false);

    // WHEN
    const session = await openSession({ region: 'eu-central-1' }, { BERTH_CONFIG: config }, 'live');

    // THEN
    expect(session.manifest.service.name).toBe('berth-live-Service');
    expect(session.settings.appName).toBe('berth');
    for (const client of [session.ecs, session.ecr, session.ssm, session.elbv2, session.sts]) {
      expect(await client.config.region()).toBe('eu-central-1');
      expect(await client.config.maxAttempts()).toBe(6);
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    }
  });
});

describe('openSession with --role', () => {
  const ROLE_CREDENTIALS = {
    AccessKeyId: 'ASIAROLE',
    SecretAccessKey: 'role-secret',
    SessionToken: 'role-token',
    Expiration: new Date('2026-12-03T12:00:00Z'),
  };
  let config: string;
  beforeEach(() => {
    setUpWorld();
    config = writeConfig(false);
    // the config's account, which `--role <duty>` names the role in.
    fs.writeFileSync(config, JSON.stringify({ ...JSON.parse(fs.readFileSync(config, 'utf8')), account: '123456789012' }));
  });

  test("assumes the environment's duty role, named after the person, for the duty's session length, and every client uses it", async () => {
    // GIVEN alice, signed in as herself
    aws.sts.on(GetCallerIdentityCommand).resolves({ Arn: 'arn:aws:iam::123456789012:user/alice', Account: '123456789012' });
    aws.sts.on(AssumeRoleCommand).resolves({ Credentials: ROLE_CREDENTIALS });

    // WHEN
    const session = await openSession(
      { role: 'releaser', 'mfa-serial': 'arn:aws:iam::123456789012:mfa/alice', 'mfa-code': '123456' },
      { BERTH_CONFIG: config },
      'live',
    );

    // THEN
    expect(aws.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::123456789012:role/berth-berth-live-releaser',
      RoleSessionName: 'berth-alice',
      DurationSeconds: 4 * 3600,
      SerialNumber: 'arn:aws:iam::123456789012:mfa/alice',
      TokenCode: '123456',
    });
    expect(await session.ecs.config.credentials()).toMatchObject({ accessKeyId: 'ASIAROLE', sessionToken: 'role-token' });
    expect(session.manifest.service.name).toBe('berth-live-Service');
  });

  test("asks for an hour from another role's session: AWS's limit on role chaining", async () => {
    // GIVEN a session of a role (IAM Identity Center's, say)
    aws.sts.on(AssumeRoleCommand).resolves({ Credentials: ROLE_CREDENTIALS });

    // WHEN
    await openSession({ role: 'viewer' }, { BERTH_CONFIG: config }, 'live');

    // THEN
    expect(aws.sts).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: 'arn:aws:iam::123456789012:role/berth-berth-live-viewer',
      DurationSeconds: 3600,
    });
  });

  test('hands the role to the AWS CLI it starts, in place of the profile', async () => {
    // GIVEN
    aws.sts.on(AssumeRoleCommand).resolves({ Credentials: ROLE_CREDENTIALS });
    const session = await openSession({ role: 'troubleshooter', profile: 'work' }, { BERTH_CONFIG: config }, 'live');

    // WHEN
    const env = awsCliEnvironment(session.aws, { PATH: '/bin', AWS_PROFILE: 'work' });

    // THEN
    expect(awsCliOptions(session.aws)).toEqual(['--region', 'eu-west-1']);
    expect(env).toEqual({
      PATH: '/bin',
      AWS_ACCESS_KEY_ID: 'ASIAROLE',
      AWS_SECRET_ACCESS_KEY: 'role-secret',
      AWS_SESSION_TOKEN: 'role-token',
    });
  });

  test("a refused role says who was refused which role, and that live's ask for MFA", async () => {
    // GIVEN
    aws.sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));

    // WHEN
    const opening = openSession({ role: 'releaser' }, { BERTH_CONFIG: config }, 'live');

    // THEN
    await expect(opening).rejects.toThrow(RefusedError);
    await expect(opening).rejects.toThrow(
      /AWS refused arn:aws:sts::123456789012:assumed-role\/releaser\/alice the role arn:aws:iam::123456789012:role\/berth-berth-live-releaser: the role may ask for MFA .*--mfa-serial and --mfa-code/,
    );
    expect(aws.ssm).not.toHaveReceivedAnyCommand();
  });

  test.each([
    [
      { role: 'admin' },
      {},
      /--role "admin" is neither a duty nor a role ARN; allowed: viewer, troubleshooter, releaser or arn:aws:iam::<account>:role\/<name>/,
    ],
    [{ role: 'viewer', 'mfa-code': '12345' }, { BERTH_MFA_SERIAL: 'arn:aws:iam::123456789012:mfa/alice' }, /MFA code "12345" is not valid/],
    [{ role: 'viewer', 'mfa-code': '123456' }, {}, /an MFA code needs its device: --mfa-serial <arn> or \$BERTH_MFA_SERIAL/],
    [{ 'mfa-code': '123456' }, {}, /--mfa-serial and --mfa-code go with --role/],
  ])('refuses %j before any call', async (flags, env, message) => {
    // WHEN
    const opening = openSession(flags, { BERTH_CONFIG: config, ...env }, 'live');

    // THEN
    await expect(opening).rejects.toThrow(UsageError);
    await expect(opening).rejects.toThrow(message);
    expect(aws.sts).not.toHaveReceivedAnyCommand();
    expect(aws.ssm).not.toHaveReceivedAnyCommand();
  });
});

describe('githubRunUrl', () => {
  test('is the run page from the variables every workflow run sets', () => {
    // THEN
    expect(githubRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '123' })).toBe(
      'https://github.com/acme/infra/actions/runs/123',
    );
    expect(githubRunUrl({ GITHUB_SERVER_URL: 'https://ghe.example.com/', GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '9' })).toBe(
      'https://ghe.example.com/acme/infra/actions/runs/9',
    );
  });

  test('is undefined outside a workflow, or with a run id that is not one', () => {
    // THEN
    expect(githubRunUrl({})).toBeUndefined();
    expect(githubRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/infra' })).toBeUndefined();
    expect(
      githubRunUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '1?x' }),
    ).toBeUndefined();
  });
});
