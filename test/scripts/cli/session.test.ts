import { followSettings, githubRunUrl, openSession } from '../../../scripts/cli/session';
import { setUpWorld, writeConfig } from '../../_helpers/release-world';
import { UsageError } from '../../../scripts/core/errors';

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
