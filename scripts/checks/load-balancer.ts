import type { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Manifest } from '../../infra/manifest';
import { describeListener, describeLoadBalancer, describeRule, forwardTargets } from '../aws/load-balancer';
import type { Finding } from '../cli/findings';

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
