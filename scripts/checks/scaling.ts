import type { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import type { Manifest } from '../../infra/manifest';
import { readScalableTarget, type ScalableTarget, scalingActivitiesSince } from '../aws/scalable-target';
import type { ServiceState } from '../aws/service';
import type { Finding } from './findings';

const LINK = 'task scaling';

/** How far back doctor looks for failed scaling activities. */
export const FAILED_ACTIVITY_HOURS = 24;

/**
 * The `scaling` line of `berth status`: the range and the count, or the fixed count without auto-scaling.
 * @param target the service's scalable target, undefined without `autoScaling`
 * @param service the service's counts
 */
export function describeScaling(target: ScalableTarget | undefined, service: Pick<ServiceState, 'desiredCount'>): string {
  if (!target) return `fixed at ${service.desiredCount} tasks (no autoScaling in the config)`;
  const notes = [
    ...(service.desiredCount >= target.maxCapacity ? ['at maxTasks'] : []),
    ...(target.suspended.length > 0 ? [`${target.suspended.join(', ')} suspended`] : []),
  ];
  return `${target.minCapacity}..${target.maxCapacity} tasks, desired ${service.desiredCount}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`;
}

/**
 * Doctor's `task scaling` link: a service held at `maxTasks` serves any more load with the same tasks,
 * suspended actions stop scaling altogether, and a failed activity means Application Auto Scaling
 * could not set the count it wanted.
 * @param client an Application Auto Scaling client
 * @param manifest the environment's manifest
 * @param service the service's counts
 * @param now the clock
 */
export async function checkTaskScaling(
  client: ApplicationAutoScalingClient,
  manifest: Manifest,
  service: Pick<ServiceState, 'desiredCount'>,
  now: Date,
  read: Promise<ScalableTarget | undefined> = readScalableTarget(client, manifest),
): Promise<Finding[]> {
  const target = await read;
  if (!target) return [{ link: LINK, status: 'ok', summary: describeScaling(target, service) }];
  const findings: Finding[] = [];
  const config = `environments.${manifest.environment}.autoScaling`;
  if (service.desiredCount >= target.maxCapacity) {
    findings.push({
      link: LINK,
      status: 'warn',
      summary: `the service runs ${service.desiredCount} tasks, its maxTasks: more load gets no more tasks`,
      fix: `if the load is real, raise ${config}.maxTasks (and the instances' maxCapacity, for a release's room) and run cdk deploy`,
    });
  }
  if (target.suspended.length > 0) {
    findings.push({
      link: LINK,
      status: 'warn',
      summary: `${target.suspended.join(', ')} suspended on the service's scalable target`,
      // the suspended state is the operator's own switch (Application Auto Scaling user guide, "Suspend and resume
      // scaling"); berth never sets it.
      fix: `resume it: aws application-autoscaling register-scalable-target --service-namespace ecs --scalable-dimension ecs:service:DesiredCount --resource-id service/${manifest.cluster.name}/${manifest.service.name} --suspended-state DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false`,
    });
  }
  const since = new Date(now.getTime() - FAILED_ACTIVITY_HOURS * 3_600_000);
  const failed = (await scalingActivitiesSince(client, manifest, since)).filter((a) => a.StatusCode === 'Failed');
  if (failed.length > 0) {
    findings.push({
      link: LINK,
      status: 'warn',
      summary: `${failed.length} scaling ${failed.length === 1 ? 'activity' : 'activities'} failed in the last ${FAILED_ACTIVITY_HOURS} hours`,
      details: failed
        .slice(0, 5)
        .map((a) => `${a.StartTime?.toISOString() ?? ''} ${a.Description ?? ''}: ${a.StatusMessage ?? a.StatusCode ?? ''}`.trim()),
      fix: 'read the messages above; the service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService must exist and the service must be ACTIVE',
    });
  }
  if (findings.length === 0) findings.push({ link: LINK, status: 'ok', summary: describeScaling(target, service) });
  return findings;
}
