import { DescribeCapacityProvidersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { checkCapacityProvider, taskNeed } from '../../../scripts/checks/capacity';
import { exampleManifest } from '../../_helpers/manifest';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';

const manifest = exampleManifest('live');
const ecs = new ECSClient({});

beforeEach(() => resetAwsMocks());

describe('the capacity provider check', () => {
  test("a failed update fails with AWS's reason", async () => {
    // GIVEN
    aws.ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        { name: manifest.capacityProviderName, status: 'ACTIVE', updateStatus: 'UPDATE_FAILED', updateStatusReason: 'group not found' },
      ],
    });

    // WHEN
    const finding = await checkCapacityProvider(ecs, manifest);

    // THEN
    expect(finding).toEqual(
      expect.objectContaining({ status: 'fail', summary: 'last update UPDATE_FAILED', details: ['AWS says: group not found'] }),
    );
  });

  test('managed scaling turned off warns', async () => {
    // GIVEN
    aws.ecs.on(DescribeCapacityProvidersCommand).resolves({
      capacityProviders: [
        { status: 'ACTIVE', autoScalingGroupProvider: { autoScalingGroupArn: 'arn', managedScaling: { status: 'DISABLED' } } },
      ],
    });

    // WHEN
    const finding = await checkCapacityProvider(ecs, manifest);

    // THEN
    expect(finding.status).toBe('warn');
  });

  test('an unknown capacity provider fails', async () => {
    // GIVEN
    aws.ecs.on(DescribeCapacityProvidersCommand).resolves({ capacityProviders: [], failures: [{ reason: 'MISSING' }] });

    // WHEN
    const finding = await checkCapacityProvider(ecs, manifest);

    // THEN
    expect(finding).toEqual(expect.objectContaining({ status: 'fail', summary: 'berth-live-CapacityProvider does not exist' }));
  });
});

describe('what one task needs', () => {
  test('is the task-level size, else the sum of the containers', () => {
    expect(taskNeed({ cpu: '512', memory: '1024' })).toEqual({ cpu: 512, memory: 1024 });
    expect(
      taskNeed({
        containerDefinitions: [
          { cpu: 256, memoryReservation: 512 },
          { cpu: 128, memory: 128 },
        ],
      }),
    ).toEqual({ cpu: 384, memory: 640 });
    expect(taskNeed({ containerDefinitions: [{ name: 'app' }] })).toBeUndefined();
  });
});
