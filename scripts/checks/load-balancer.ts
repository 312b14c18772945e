import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Manifest } from '../../infra/manifest';
import {
  describeListener,
  describeLoadBalancer,
  describeRule,
  forwardTargets,
  type LabelledTarget,
  labelledTargets,
} from '../aws/load-balancer';
import { readTargetHealth, type TargetGroupHealth } from '../aws/target-health';
import type { Finding } from './findings';

function redeploy(manifest: Manifest): string {
  return `npx cdk deploy ${manifest.app}-${manifest.environment}`;
}

/**
 * Checks that the environment's load balancer exists and is active.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 */
export async function checkLoadBalancer(elbv2: ElasticLoadBalancingV2Client, manifest: Manifest): Promise<Finding> {
  const link = 'load balancer';
  const balancer = await describeLoadBalancer(elbv2, manifest.loadBalancer.arn);
  if (!balancer) {
    return {
      link,
      status: 'fail',
      summary: `the load balancer in the manifest does not exist (${manifest.loadBalancer.dnsName})`,
      fix: `${redeploy(manifest)} creates it`,
    };
  }
  const state = balancer.State?.Code ?? 'unknown';
  const reason = balancer.State?.Reason ? [`AWS says: ${balancer.State.Reason}`] : [];
  if (state === 'active') {
    return {
      link,
      status: 'ok',
      summary: `active, ${balancer.Scheme ?? ''} ${balancer.DNSName ?? manifest.loadBalancer.dnsName}`.replace('  ', ' '),
    };
  }
  if (state === 'provisioning')
    return { link, status: 'warn', summary: 'still provisioning', details: reason, fix: 'wait a few minutes and run doctor again' };
  return {
    link,
    status: 'fail',
    summary: `state is ${state}`,
    details: reason,
    fix: 'see the load balancer in the EC2 console; AWS Health may list an event for it',
  };
}

/**
 * Checks that the HTTPS listener exists on 443 and serves the environment's certificate.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 */
export async function checkHttpsListener(elbv2: ElasticLoadBalancingV2Client, manifest: Manifest): Promise<Finding> {
  const link = 'HTTPS listener';
  const listener = await describeListener(elbv2, manifest.listeners.https);
  if (!listener)
    return { link, status: 'fail', summary: 'the HTTPS listener in the manifest does not exist', fix: `${redeploy(manifest)} creates it` };
  if (listener.Port !== 443 || listener.Protocol !== 'HTTPS') {
    return {
      link,
      status: 'fail',
      summary: `listener is ${listener.Protocol ?? '?'} on port ${listener.Port ?? '?'}, not HTTPS on 443`,
      fix: `${redeploy(manifest)} restores it`,
    };
  }
  const certificates = (listener.Certificates ?? []).map((c) => c.CertificateArn);
  if (!certificates.includes(manifest.certificateArn)) {
    return {
      link,
      status: 'fail',
      summary: "443 does not serve the environment's certificate",
      details: [`serves: ${certificates.join(', ') || 'none'}`, `expected: ${manifest.certificateArn}`],
      fix: `${redeploy(manifest)} puts the certificate back`,
    };
  }
  return { link, status: 'ok', summary: `HTTPS on 443, ${listener.SslPolicy ?? 'default policy'}, serves the environment's certificate` };
}

/** The production rule's finding and the target groups it sends traffic to. */
export interface RuleCheck {
  /** the finding. */
  readonly finding: Finding;
  /** labels (`blue`, `green`) of the target groups with a weight above zero. */
  readonly serving: readonly string[];
}

/**
 * Checks that the production rule matches the environment's host name and forwards to blue or green.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 */
export async function checkProductionRule(elbv2: ElasticLoadBalancingV2Client, manifest: Manifest): Promise<RuleCheck> {
  const link = 'listener rule';
  const all = Object.keys(manifest.targetGroups);
  const rule = await describeRule(elbv2, manifest.rules.production);
  if (!rule)
    return {
      finding: {
        link,
        status: 'fail',
        summary: 'the production rule in the manifest does not exist',
        fix: `${redeploy(manifest)} creates it`,
      },
      serving: all,
    };
  const hosts = (rule.Conditions ?? []).flatMap((c) => (c.Field === 'host-header' ? (c.HostHeaderConfig?.Values ?? c.Values ?? []) : []));
  const labels = Object.entries(manifest.targetGroups) as [string, string][];
  const targets = forwardTargets(rule).map((t) => ({ ...t, label: labels.find(([, arn]) => arn === t.arn)?.[0] ?? t.arn }));
  const serving = targets.filter((t) => t.weight > 0).map((t) => t.label);
  const weights = targets.map((t) => `${t.label} ${t.weight}`).join(', ');
  if (hosts.length > 0 && !hosts.some((h) => h.toLowerCase() === manifest.domainName.toLowerCase())) {
    return {
      finding: {
        link,
        status: 'fail',
        summary: `rule matches ${hosts.join(', ')}, not ${manifest.domainName}`,
        fix: `${redeploy(manifest)} restores the rule`,
      },
      serving,
    };
  }
  if (serving.length === 0) {
    return {
      finding: {
        link,
        status: 'fail',
        summary: `rule forwards to no target group with weight above 0 (${weights || 'no forward action'})`,
        fix: `${redeploy(manifest)} restores the rule`,
      },
      serving: all,
    };
  }
  const strangers = serving.filter((s) => !all.includes(s));
  if (strangers.length > 0) {
    return {
      finding: {
        link,
        status: 'fail',
        summary: "rule forwards to a target group that is not the environment's blue or green",
        details: strangers,
        fix: `${redeploy(manifest)} restores the rule`,
      },
      serving: serving.filter((s) => all.includes(s)),
    };
  }
  return { finding: { link, status: 'ok', summary: `${manifest.domainName} → ${weights}` }, serving };
}

/** Where the two rules send traffic now; a rule that does not exist is undefined. */
export interface RuleTraffic {
  /** the production rule's target groups and weights. */
  readonly production?: readonly LabelledTarget[];
  /** the test rule's target groups and weights. */
  readonly test?: readonly LabelledTarget[];
}

/** Something wrong with where the rules send traffic. */
export interface TrafficProblem {
  /** `fail` when requests go where no task answers, `warn` otherwise. */
  readonly status: 'warn' | 'fail';
  /** what is wrong. */
  readonly problem: string;
  /** how to put it right. */
  readonly fix: string;
}

/**
 * Reads both rules of the environment.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 */
export async function readTraffic(elbv2: ElasticLoadBalancingV2Client, manifest: Manifest): Promise<RuleTraffic> {
  const [production, test] = await Promise.all([describeRule(elbv2, manifest.rules.production), describeRule(elbv2, manifest.rules.test)]);
  return {
    ...(production ? { production: labelledTargets(production, manifest.targetGroups) } : {}),
    ...(test ? { test: labelledTargets(test, manifest.targetGroups) } : {}),
  };
}

function weights(targets: readonly LabelledTarget[] | undefined): string {
  if (!targets) return 'no rule';
  return targets.length === 0 ? 'no forward action' : targets.map((t) => `${t.label} ${t.weight}`).join(', ');
}

/** The group a rule sends (most of) its traffic to. */
function heaviest(targets: readonly LabelledTarget[] | undefined): LabelledTarget | undefined {
  return [...(targets ?? [])].sort((a, b) => b.weight - a.weight)[0];
}

/**
 * One line: which target group serves production and where the test rule points, e.g.
 * `production → green (blue 0, green 100), test → blue (blue 100, green 0)`.
 * @param traffic the rules' traffic
 */
export function describeTraffic(traffic: RuleTraffic): string {
  const one = (name: string, targets: readonly LabelledTarget[] | undefined) =>
    targets && targets.length > 0 ? `${name} → ${heaviest(targets)!.label} (${weights(targets)})` : `${name}: ${weights(targets)}`;
  return `${one('production', traffic.production)}, ${one('test', traffic.test)}`;
}

/**
 * What is wrong with where the rules send traffic: a missing rule, a target group that is not the environment's,
 * weights that are not 100 / 0 (ECS is moving traffic, or someone edited the rule), and production on a group
 * without a healthy target while the other group has healthy ones.
 * @param traffic the rules' traffic
 * @param manifest the environment's manifest
 * @param health the health of blue and green, when known
 */
export function trafficProblems(traffic: RuleTraffic, manifest: Manifest, health?: readonly TargetGroupHealth[]): TrafficProblem[] {
  const problems: TrafficProblem[] = [];
  const ours = Object.keys(manifest.targetGroups);
  for (const [name, targets, arn] of [
    ['production', traffic.production, manifest.rules.production],
    ['test', traffic.test, manifest.rules.test],
  ] as const) {
    if (!targets) {
      problems.push({
        status: 'fail',
        problem: `the ${name} rule in the manifest does not exist`,
        fix: `${redeploy(manifest)} creates it`,
      });
      continue;
    }
    const strangers = targets.filter((t) => !ours.includes(t.label));
    if (strangers.length > 0) {
      problems.push({
        status: name === 'production' ? 'fail' : 'warn',
        problem: `the ${name} rule forwards to ${strangers.map((t) => t.label).join(', ')}, which is not the environment's blue or green`,
        fix: `forward the rule to blue and green again: ${modifyRule(arn, manifest, heaviest(targets.filter((t) => ours.includes(t.label)))?.label ?? 'blue')}`,
      });
    }
    if (targets.filter((t) => t.weight > 0).length > 1) {
      problems.push({
        status: 'warn',
        problem: `the ${name} rule splits traffic (${weights(targets)}): a release is shifting it, or the rule was edited`,
        fix: `if no deployment is in progress (berth status ${manifest.environment}), set 100 / 0: ${modifyRule(arn, manifest, heaviest(targets)!.label)}`,
      });
    }
  }
  const serving = heaviest(traffic.production);
  const servingHealth = health?.find((g) => g.label === serving?.label);
  const other = health?.find((g) => g.label !== serving?.label && ours.includes(g.label));
  if (serving && servingHealth && other && servingHealth.healthy === 0 && other.healthy > 0) {
    problems.push({
      status: 'fail',
      problem: `production goes to ${serving.label}, which has no healthy target, while ${other.label} has ${other.healthy}: requests get 503`,
      fix: `send production back to the tasks: ${modifyRule(manifest.rules.production, manifest, other.label)}`,
    });
  }
  return problems;
}

/** The AWS CLI command that forwards a rule 100 to one of blue and green and 0 to the other. */
function modifyRule(ruleArn: string, manifest: Manifest, to: string): string {
  const target = to === 'green' ? 'green' : 'blue';
  const other = target === 'blue' ? 'green' : 'blue';
  const groups = [
    { TargetGroupArn: manifest.targetGroups[target], Weight: 100 },
    { TargetGroupArn: manifest.targetGroups[other], Weight: 0 },
  ];
  return `aws elbv2 modify-rule --rule-arn ${ruleArn} --actions '${JSON.stringify([{ Type: 'forward', ForwardConfig: { TargetGroups: groups } }])}'`;
}

/**
 * Checks where the production and test rules send traffic against the target groups' health.
 * @param elbv2 an Elastic Load Balancing v2 client
 * @param manifest the environment's manifest
 */
export async function checkTraffic(elbv2: ElasticLoadBalancingV2Client, manifest: Manifest): Promise<Finding> {
  const link = 'traffic';
  const [traffic, health] = await Promise.all([readTraffic(elbv2, manifest), readTargetHealth(elbv2, manifest.targetGroups)]);
  const problems = trafficProblems(traffic, manifest, health);
  const summary = describeTraffic(traffic);
  if (problems.length === 0) return { link, status: 'ok', summary };
  const worst = problems.some((p) => p.status === 'fail') ? 'fail' : 'warn';
  return {
    link,
    status: worst,
    summary: problems[0]!.problem,
    details: [summary, ...problems.slice(1).map((p) => p.problem)],
    fix: problems[0]!.fix,
  };
}
