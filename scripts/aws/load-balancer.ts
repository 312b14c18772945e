import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  type ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type Rule,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { withPermission } from './permission';

const NOT_FOUND = new Set([
  'LoadBalancerNotFoundException',
  'LoadBalancerNotFound',
  'ListenerNotFoundException',
  'ListenerNotFound',
  'RuleNotFoundException',
  'RuleNotFound',
]);

async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (NOT_FOUND.has((err as Error).name)) return undefined;
    throw err;
  }
}

/**
 * Reads a load balancer by ARN.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param arn the load balancer's ARN
 * @returns the load balancer, or undefined when it does not exist
 */
export async function describeLoadBalancer(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<LoadBalancer | undefined> {
  const response = await orUndefined(() =>
    withPermission('elasticloadbalancing:DescribeLoadBalancers', () =>
      elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] })),
    ),
  );
  return response?.LoadBalancers?.[0];
}

/**
 * Reads a listener by ARN.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param arn the listener's ARN
 * @returns the listener, or undefined when it does not exist
 */
export async function describeListener(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<Listener | undefined> {
  const response = await orUndefined(() =>
    withPermission('elasticloadbalancing:DescribeListeners', () => elbv2.send(new DescribeListenersCommand({ ListenerArns: [arn] }))),
  );
  return response?.Listeners?.[0];
}

/**
 * Reads a listener rule by ARN.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param arn the rule's ARN
 * @returns the rule, or undefined when it does not exist
 */
export async function describeRule(elbv2: ElasticLoadBalancingV2Client, arn: string): Promise<Rule | undefined> {
  const response = await orUndefined(() =>
    withPermission('elasticloadbalancing:DescribeRules', () => elbv2.send(new DescribeRulesCommand({ RuleArns: [arn] }))),
  );
  return response?.Rules?.[0];
}

/**
 * The target groups a rule forwards to, with their weights (a plain forward counts as weight 1).
 * @param rule the rule
 */
export function forwardTargets(rule: Rule): { readonly arn: string; readonly weight: number }[] {
  const forward = rule.Actions?.find((a) => a.Type === 'forward');
  if (!forward) return [];
  const weighted = forward.ForwardConfig?.TargetGroups;
  if (weighted && weighted.length > 0) return weighted.map((t) => ({ arn: t.TargetGroupArn ?? '', weight: t.Weight ?? 1 }));
  return forward.TargetGroupArn ? [{ arn: forward.TargetGroupArn, weight: 1 }] : [];
}

/** A target group a rule forwards to, named as the environment calls it. */
export interface LabelledTarget {
  /** `blue`, `green`, or the ARN of a target group that is not the environment's. */
  readonly label: string;
  /** the target group's ARN. */
  readonly arn: string;
  /** its forward weight. */
  readonly weight: number;
}

/**
 * The target groups a rule forwards to, labelled `blue` and `green` where they are the environment's.
 * @param rule the rule
 * @param targetGroups the environment's target groups by label (manifest `targetGroups`)
 */
export function labelledTargets(rule: Rule, targetGroups: Readonly<Record<string, string>>): LabelledTarget[] {
  const labels = Object.entries(targetGroups);
  return forwardTargets(rule).map((t) => ({ ...t, label: labels.find(([, arn]) => arn === t.arn)?.[0] ?? t.arn }));
}
