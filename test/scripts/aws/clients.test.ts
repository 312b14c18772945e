import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsClients, clientConfig, DEFAULT_NETWORK_LIMITS, networkLimits, worstCaseSeconds } from '../../../scripts/aws/clients';
import { UsageError } from '../../../scripts/core/errors';

describe('AwsClients', () => {
  test('builds each client class once per run, in the run region and profile, with adaptive retry', async () => {
    // GIVEN
    const clients = new AwsClients({ region: 'eu-central-1', profile: 'operator' });

    // WHEN
    const ecs = clients.get(ECSClient);

    // THEN
    expect(clients.get(ECSClient)).toBe(ecs);
    expect(clients.get(SSMClient)).not.toBe(ecs);
    expect(await ecs.config.region()).toBe('eu-central-1');
    expect(ecs.config.profile).toBe('operator');
    expect(await ecs.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
  });
});

describe('the network limits', () => {
  test('by default: a few seconds to connect, tens per attempt, one more attempt without an answer, all within 60 s', () => {
    expect(DEFAULT_NETWORK_LIMITS).toEqual({ connectTimeoutMs: 5_000, requestTimeoutMs: 20_000, maxAttempts: 6, attemptsWithoutAnswer: 2 });
    expect(worstCaseSeconds(DEFAULT_NETWORK_LIMITS)).toBeLessThan(60);
    expect(networkLimits({})).toEqual(DEFAULT_NETWORK_LIMITS);
  });

  test('every client gets them, and its request timeout throws instead of only warning', async () => {
    // WHEN
    const config = clientConfig({ region: 'eu-west-1' });
    const ecs = new AwsClients({ region: 'eu-west-1' }).get(ECSClient);

    // THEN
    expect(config.requestHandler).toEqual({
      connectionTimeout: 5_000,
      requestTimeout: 20_000,
      throwOnRequestTimeout: true,
      socketTimeout: 20_000,
    });
    expect(await ecs.config.maxAttempts()).toBe(6);
  });

  test('BERTH_AWS_CONNECT_TIMEOUT_MS and BERTH_AWS_REQUEST_TIMEOUT_MS change the timeouts; a bad value is a usage error', () => {
    expect(networkLimits({ BERTH_AWS_CONNECT_TIMEOUT_MS: '300', BERTH_AWS_REQUEST_TIMEOUT_MS: '900' })).toMatchObject({
      connectTimeoutMs: 300,
      requestTimeoutMs: 900,
    });
    expect(() => networkLimits({ BERTH_AWS_REQUEST_TIMEOUT_MS: '20s' })).toThrow(
      new UsageError('BERTH_AWS_REQUEST_TIMEOUT_MS "20s" is not valid; allowed: a whole number of milliseconds, such as 20000'),
    );
  });
});
