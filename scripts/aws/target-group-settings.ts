import {
  DescribeTargetGroupAttributesCommand,
  DescribeTargetGroupsCommand,
  type ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { withPermission } from './permission';

/** What the load balancer does with a target group's targets that decides how long a release takes. */
export interface TargetGroupSettings {
  /** seconds between two health checks of a target. */
  readonly intervalSeconds: number;
  /** passed checks in a row before a target counts as healthy. */
  readonly healthyThreshold: number;
  /** seconds a leaving target drains (`deregistration_delay.timeout_seconds`). */
  readonly deregistrationDelaySeconds: number;
}

/**
 * Reads the health-check timing and the deregistration delay of the environment's target groups, the
 * slowest of each where blue and green differ.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param targetGroupArns the target groups (the manifest's blue and green)
 */
export async function readTargetGroupSettings(
  elbv2: ElasticLoadBalancingV2Client,
  targetGroupArns: readonly string[],
): Promise<TargetGroupSettings> {
  const groups = await withPermission('elasticloadbalancing:DescribeTargetGroups', () =>
    elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [...targetGroupArns] })),
  );
  const delays = await Promise.all(
    targetGroupArns.map(async (arn) => {
      const response = await withPermission('elasticloadbalancing:DescribeTargetGroupAttributes', () =>
        elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: arn })),
      );
      // ELB's default when the attribute is not reported: 300 s (ELB API reference, TargetGroupAttribute).
      return Number(response.Attributes?.find((a) => a.Key === 'deregistration_delay.timeout_seconds')?.Value ?? 300);
    }),
  );
  const described = groups.TargetGroups ?? [];
  return {
    // ELB's defaults for an ALB target group: 30 s, 5 checks.
    intervalSeconds: Math.max(...described.map((g) => g.HealthCheckIntervalSeconds ?? 30), 0),
    healthyThreshold: Math.max(...described.map((g) => g.HealthyThresholdCount ?? 5), 0),
    deregistrationDelaySeconds: Math.max(...delays, 0),
  };
}
