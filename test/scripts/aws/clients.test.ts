import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AwsClients } from '../../../scripts/aws/clients';

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
