import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Manifest } from '../../infra/manifest';
import { ACTIVE_DEPLOYMENT_STATUSES, describeDeployment, type ServiceState } from '../aws/service';
import type { Finding, FindingStatus } from './findings';

/** Service events newer than this count towards the finding; older ones are only shown. */
const RECENT_EVENT_MS = 60 * 60 * 1000;

/** Service-event messages that point at a problem, what they mean and what to do. */
const TROUBLE: readonly { readonly pattern: RegExp; readonly status: FindingStatus; readonly fix: (m: Manifest) => string }[] = [
  {
    pattern: /unable to consistently start tasks/i,
    status: 'fail',
    fix: (m) => `tasks keep failing to start: see the tasks link for their stopped reasons, and berth logs ${m.environment} --since 1h`,
  },
  {
    pattern: /unable to place a task/i,
    status: 'warn',
    fix: () =>
      'no container instance has room for the task (or none is connected): see the container instances and Auto Scaling group links',
  },
  {
    pattern: /(failed (elb|container) health checks|unhealthy)/i,
    status: 'warn',
    fix: (m) => `tasks fail their health checks: see target health above and berth logs ${m.environment} --since 1h`,
  },
];

/**
 * Checks the service: desired against running tasks, and what its recent events say.
 * @param service the service as scripts/aws/service.ts reads it
 * @param manifest the environment's manifest
 * @param now the current time
 */
export function checkServiceState(service: ServiceState, manifest: Manifest, now: Date): Finding {
  const link = 'service';
  const counts = `${service.runningCount}/${service.desiredCount} tasks running${service.pendingCount > 0 ? `, ${service.pendingCount} pending` : ''}`;
  const details = service.events.map((e) => `${e.at ? `${e.at.toISOString().replace(/\.\d{3}Z$/, 'Z')} ` : ''}${e.message}`);
  if (service.status !== 'ACTIVE') {
    return {
      link,
      status: 'fail',
      summary: `service is ${service.status}`,
      details,
      fix: `npx cdk deploy ${manifest.app}-${manifest.environment} recreates it`,
    };
  }
  if (service.desiredCount === 0) {
    return {
      link,
      status: 'warn',
      summary: 'desired count is 0: the service runs nothing on purpose or by mistake',
      details,
      fix: `set desiredTaskCount in the config and npx cdk deploy ${manifest.app}-${manifest.environment}`,
    };
  }
  const recent = service.events.filter((e) => e.at === undefined || now.getTime() - e.at.getTime() < RECENT_EVENT_MS);
  const trouble = TROUBLE.find((t) => recent.some((e) => t.pattern.test(e.message)));
  if (service.runningCount === 0) {
    return { link, status: 'fail', summary: `${counts}: nothing serves traffic`, details, fix: (trouble ?? TROUBLE[0]).fix(manifest) };
  }
  if (trouble) return { link, status: trouble.status, summary: counts, details, fix: trouble.fix(manifest) };
  if (service.runningCount < service.desiredCount) {
    return {
      link,
      status: 'warn',
      summary: counts,
      details,
      fix: 'ECS is starting tasks; if this lasts, see the tasks and container instances links',
    };
  }
  return { link, status: 'ok', summary: counts, details };
}

/**
 * Checks the service's current deployment: still moving, rolled back, or done.
 * @param ecs an ECS client
 * @param service the service as scripts/aws/service.ts reads it
 * @param manifest the environment's manifest
 */
export async function checkDeployment(ecs: ECSClient, service: ServiceState, manifest: Manifest): Promise<Finding> {
  const link = 'deployment';
  const env = manifest.environment;
  if (!service.currentServiceDeployment) return { link, status: 'ok', summary: 'no deployment recorded' };
  const deployment = await describeDeployment(ecs, service.currentServiceDeployment);
  if (!deployment) return { link, status: 'ok', summary: 'the current deployment is no longer described by ECS' };
  const status = deployment.status ?? 'UNKNOWN';
  const details = [
    ...(deployment.statusReason ? [`reason: ${deployment.statusReason}`] : []),
    ...(deployment.rollback?.reason ? [`rollback: ${deployment.rollback.reason}`] : []),
    ...(deployment.alarms?.triggeredAlarmNames?.length ? [`alarms that fired: ${deployment.alarms.triggeredAlarmNames.join(', ')}`] : []),
    ...(deployment.deploymentCircuitBreaker?.failureCount
      ? [`tasks that failed: ${deployment.deploymentCircuitBreaker.failureCount}`]
      : []),
  ];
  if ((ACTIVE_DEPLOYMENT_STATUSES as readonly string[]).includes(status)) {
    return {
      link,
      status: 'warn',
      summary: `a deployment is ${status}${deployment.lifecycleStage ? ` (${deployment.lifecycleStage})` : ''}`,
      details,
      fix: `follow it with berth status ${env}; traffic may be moving between blue and green`,
    };
  }
  if (status === 'ROLLBACK_FAILED') {
    return {
      link,
      status: 'fail',
      summary: 'the last deployment failed and its rollback failed too',
      details,
      fix: `berth rollback ${env} puts the previous release back; berth history ${env} lists it`,
    };
  }
  if (status === 'ROLLBACK_SUCCESSFUL' || status === 'STOPPED') {
    return {
      link,
      status: 'warn',
      summary: `the last deployment was rolled back (${status})`,
      details,
      fix: `the previous release runs; read berth logs ${env} --since 2h for why the new one failed`,
    };
  }
  return { link, status: 'ok', summary: `last deployment ${status}`, details };
}
