import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';

/** One registered target of a target group. */
export interface TargetState {
  /** instance id or IP address. */
  readonly id: string;
  /** the port the target receives traffic on. */
  readonly port?: number;
  /** `healthy`, `unhealthy`, `initial`, `draining`, `unused`, `unavailable`… */
  readonly state: string;
  /** why, when the load balancer says (e.g. `Target.ResponseCodeMismatch`). */
  readonly reason?: string;
  /** the load balancer's explanation, e.g. `Health checks failed with these codes: [502]`. */
  readonly description?: string;
}

/** Health of one target group. */
export interface TargetGroupHealth {
  /** what the caller called it, e.g. `blue` or `green`. */
  readonly label: string;
  /** the target group ARN. */
  readonly arn: string;
  /** the target group's name, read from its ARN. */
  readonly name: string;
  /** how many targets are healthy. */
  readonly healthy: number;
  /** how many targets are registered. */
  readonly total: number;
  /** every registered target. */
  readonly targets: readonly TargetState[];
}

/**
 * The name of a target group, from its ARN (`…:targetgroup/<name>/<id>`).
 * @param arn the target group ARN
 */
export function targetGroupName(arn: string): string {
  return /:targetgroup\/([^/]+)\//.exec(arn)?.[1] ?? arn;
}

/**
 * Reads the health of each target group, in parallel.
 * @param elbv2 an Elastic Load Balancing v2 client in the stacks' region
 * @param targetGroups target group ARNs by label, e.g. the manifest's `{ blue, green }`
 */
export async function readTargetHealth(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroups: Readonly<Record<string, string>>,
): Promise<TargetGroupHealth[]> {
  return Promise.all(
    Object.entries(targetGroups).map(async ([label, arn]) => {
      const response = await elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: arn }));
      const targets: TargetState[] = (response.TargetHealthDescriptions ?? []).map((d) => ({
        id: d.Target?.Id ?? '?',
        ...(d.Target?.Port !== undefined ? { port: d.Target.Port } : {}),
        state: d.TargetHealth?.State ?? 'unknown',
        ...(d.TargetHealth?.Reason ? { reason: d.TargetHealth.Reason } : {}),
        ...(d.TargetHealth?.Description ? { description: d.TargetHealth.Description } : {}),
      }));
      return {
        label,
        arn,
        name: targetGroupName(arn),
        healthy: targets.filter((t) => t.state === 'healthy').length,
        total: targets.length,
        targets,
      };
    }),
  );
}
