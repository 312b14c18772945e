import {
  type ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  paginateDescribeScalingActivities,
  type ScalingActivity,
} from '@aws-sdk/client-application-auto-scaling';
import type { Manifest } from '../../infra/manifest';
import { withPermission } from './permission';

/** The service's task range as Application Auto Scaling holds it, and which of its actions are suspended. */
export interface ScalableTarget {
  /** the fewest tasks (`autoScaling.minTasks`, or a scheduled minimum in force). */
  readonly minCapacity: number;
  /** the most tasks (`autoScaling.maxTasks`). */
  readonly maxCapacity: number;
  /** the scaling actions someone (or a deployment) suspended, in the operator's words. */
  readonly suspended: readonly string[];
}

/**
 * The Application Auto Scaling resource id of an ECS service: `service/<cluster>/<service>`
 * (Application Auto Scaling API reference, RegisterScalableTarget, ResourceId).
 * @param manifest the environment's manifest
 */
export function serviceResourceId(manifest: Pick<Manifest, 'cluster' | 'service'>): string {
  return `service/${manifest.cluster.name}/${manifest.service.name}`;
}

/**
 * Reads the service's scalable target; undefined when the environment has no `autoScaling`
 * (berth registers none, so the service runs the template's fixed count).
 * @param client an Application Auto Scaling client
 * @param manifest the environment's manifest
 */
export async function readScalableTarget(
  client: ApplicationAutoScalingClient,
  manifest: Pick<Manifest, 'cluster' | 'service'>,
): Promise<ScalableTarget | undefined> {
  const response = await withPermission('application-autoscaling:DescribeScalableTargets', () =>
    client.send(
      new DescribeScalableTargetsCommand({
        ServiceNamespace: 'ecs',
        ResourceIds: [serviceResourceId(manifest)],
        ScalableDimension: 'ecs:service:DesiredCount',
      }),
    ),
  );
  const target = response.ScalableTargets?.[0];
  if (!target) return undefined;
  const state = target.SuspendedState;
  const suspended = [
    ...(state?.DynamicScalingOutSuspended ? ['scale-out'] : []),
    ...(state?.DynamicScalingInSuspended ? ['scale-in'] : []),
    ...(state?.ScheduledScalingSuspended ? ['scheduled scaling'] : []),
  ];
  return { minCapacity: target.MinCapacity ?? 0, maxCapacity: target.MaxCapacity ?? 0, suspended };
}

/** How many pages of 50 activities doctor reads at most: a service scaling every few minutes for a day. */
export const ACTIVITY_PAGES = 6;

/**
 * The service's scaling activities since a moment. The API keeps six weeks of them and does not document
 * their order, so berth reads at most {@link ACTIVITY_PAGES} pages and filters by start time itself.
 * @param client an Application Auto Scaling client
 * @param manifest the environment's manifest
 * @param since the oldest activity wanted
 */
export async function scalingActivitiesSince(
  client: ApplicationAutoScalingClient,
  manifest: Pick<Manifest, 'cluster' | 'service'>,
  since: Date,
): Promise<ScalingActivity[]> {
  const activities: ScalingActivity[] = [];
  await withPermission('application-autoscaling:DescribeScalingActivities', async () => {
    const pages = paginateDescribeScalingActivities(
      { client, pageSize: 50 },
      { ServiceNamespace: 'ecs', ResourceId: serviceResourceId(manifest), ScalableDimension: 'ecs:service:DesiredCount' },
    );
    let read = 0;
    for await (const page of pages) {
      activities.push(...(page.ScalingActivities ?? []).filter((a) => a.StartTime !== undefined && a.StartTime >= since));
      if (++read >= ACTIVITY_PAGES) break;
    }
  });
  return activities;
}
