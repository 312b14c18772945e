import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Manifest } from '../../infra/manifest';
import { readTargetHealth, type TargetState } from '../aws/target-health';
import type { Finding } from './findings';

/**
 * What to do about the reasons the load balancer gives for an unhealthy target (ELB's `TargetHealth.Reason`).
 * @param reason the reason code
 * @param manifest the environment's manifest
 */
export function fixForReason(reason: string | undefined, manifest: Manifest): string {
  const env = manifest.environment;
  switch (reason) {
    case 'Target.ResponseCodeMismatch':
      return `the app answers the health check with an error status: read berth logs ${env} --since 1h, or berth exec ${env} and curl localhost:${manifest.containerPort}`;
    case 'Target.Timeout':
    case 'Target.FailedHealthChecks':
      return `the app does not answer the health check in time: check it listens on ${manifest.containerPort} (berth logs ${env}) and that the tasks' security group admits the load balancer`;
    case 'Elb.InitialHealthChecking':
      return 'the targets are new and still being checked: run doctor again in a minute';
    case 'Target.NotRegistered':
    case 'Target.NotInUse':
    case 'Target.DeregistrationInProgress':
      return `the service has no running task in this target group: see the service and tasks links below (berth status ${env})`;
    case 'Elb.InternalError':
      return 'AWS reports an internal load balancer error: check the AWS Health dashboard';
    default:
      return `read berth logs ${env} --since 1h and the tasks link below`;
  }
}

function describeTarget(target: TargetState): string {
  const why = [target.reason, target.description].filter((x) => x !== undefined).join(': ');
  return `${target.id}${target.port !== undefined ? `:${target.port}` : ''} ${target.state}${why ? ` (${why})` : ''}`;
}

/**
 * Checks the health of the target groups that receive production traffic, with the reasons AWS gives.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 * @param serving labels of the target groups the production rule sends traffic to
 */
export async function checkTargetHealth(
  elbv2: ElasticLoadBalancingV2Client,
  manifest: Manifest,
  serving: readonly string[],
): Promise<Finding> {
  const link = 'target health';
  const groups = await readTargetHealth(elbv2, manifest.targetGroups);
  const live = groups.filter((g) => serving.includes(g.label));
  const details: string[] = [];
  for (const group of groups) {
    details.push(
      `${group.label} (${group.name})${serving.includes(group.label) ? ', serving traffic' : ''}: ${group.healthy}/${group.total} healthy`,
    );
    for (const target of group.targets.filter((t) => t.state !== 'healthy')) details.push(`  ${describeTarget(target)}`);
  }
  const unhealthy = live.flatMap((g) => g.targets.filter((t) => t.state !== 'healthy'));
  const firstReason = unhealthy.find((t) => t.reason !== undefined)?.reason;
  const healthy = live.reduce((n, g) => n + g.healthy, 0);
  const total = live.reduce((n, g) => n + g.total, 0);
  if (total === 0) {
    return {
      link,
      status: 'fail',
      summary: 'no target registered in the serving target group: the load balancer answers 503',
      details,
      fix: fixForReason('Target.NotRegistered', manifest),
    };
  }
  if (healthy === 0) {
    const initial = unhealthy.every((t) => t.state === 'initial');
    return {
      link,
      status: initial ? 'warn' : 'fail',
      summary: initial
        ? `0/${total} targets healthy yet: they are being checked for the first time`
        : `0/${total} targets healthy: the load balancer answers 502/503`,
      details,
      fix: fixForReason(firstReason, manifest),
    };
  }
  if (unhealthy.length > 0) {
    return { link, status: 'warn', summary: `${healthy}/${total} targets healthy`, details, fix: fixForReason(firstReason, manifest) };
  }
  return { link, status: 'ok', summary: `${healthy}/${total} targets healthy in ${live.map((g) => g.label).join(' and ')}`, details };
}
