import { Resolver } from 'node:dns/promises';
import type { ACMClient } from '@aws-sdk/client-acm';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { Manifest } from '../../infra/manifest';
import { certificateCovers, describeCertificate } from '../aws/certificate';
import { recordsOfName } from '../aws/record-sets';
import { type Finding, safely } from './findings';
import { DEFAULT_PUBLIC_RESOLVERS, type ResolverChoice } from './resolvers';

/**
 * Asks one DNS server for a name's IPv4 addresses. An injected function, so tests never touch the
 * network; rejects with a node:dns error (code ENOTFOUND, ENODATA, ETIMEOUT…) as node:dns does.
 */
export type ResolveAddresses = (server: string, name: string) => Promise<string[]>;

/** The real {@link ResolveAddresses}: node:dns with one server, a short timeout and two tries. */
export const resolveWithNodeDns: ResolveAddresses = async (server, name) => {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  resolver.setServers([server]);
  return resolver.resolve4(name);
};

/** Days before expiry from which a certificate is a warning: ACM renews 60 days ahead, so by now renewal failed. */
export const CERTIFICATE_WARN_DAYS = 30;
/** Days before expiry from which a certificate is failing: browsers will soon refuse the site. */
export const CERTIFICATE_FAIL_DAYS = 7;

function normalise(name: string | undefined): string {
  return (name ?? '')
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/^dualstack\./, '');
}

/**
 * Checks that the environment's name has an A alias (and, if any, an AAAA alias) to its own load balancer.
 * @param route53 a Route 53 client
 * @param manifest the environment's manifest
 */
export async function checkAliasRecords(route53: Route53Client, manifest: Manifest): Promise<Finding> {
  const link = 'DNS alias';
  const stack = `${manifest.app}-${manifest.environment}`;
  const records = (await recordsOfName(route53, manifest.hostedZoneId, manifest.domainName)).filter(
    (r) => r.Type === 'A' || r.Type === 'AAAA',
  );
  const expected = normalise(manifest.loadBalancer.dnsName);
  if (!records.some((r) => r.Type === 'A')) {
    return {
      link,
      status: 'fail',
      summary: `no A record for ${manifest.domainName} in hosted zone ${manifest.hostedZoneId}`,
      fix: `npx cdk deploy ${stack} creates it again`,
    };
  }
  const wrong: string[] = [];
  for (const record of records) {
    if (!record.AliasTarget) {
      const values = (record.ResourceRecords ?? []).map((v) => v.Value).join(', ');
      wrong.push(`${record.Type} is not an alias: it points at ${values || 'nothing'}`);
    } else if (
      normalise(record.AliasTarget.DNSName) !== expected ||
      record.AliasTarget.HostedZoneId !== manifest.loadBalancer.canonicalHostedZoneId
    ) {
      wrong.push(
        `${record.Type} alias points at ${normalise(record.AliasTarget.DNSName)} (zone ${record.AliasTarget.HostedZoneId}), not this environment's load balancer ${expected}`,
      );
    }
  }
  if (wrong.length > 0) {
    return {
      link,
      status: 'fail',
      summary: `${manifest.domainName} does not point at ${manifest.environment}'s load balancer`,
      details: wrong,
      fix: `someone changed the record by hand, or another stack owns it: npx cdk deploy ${stack} puts the alias back`,
    };
  }
  return { link, status: 'ok', summary: `${manifest.domainName} ${records.map((r) => r.Type).join('/')} alias → ${expected}` };
}

/**
 * Checks the environment's certificate: issued, covering the name, and far enough from expiry.
 * @param acm an ACM client
 * @param manifest the environment's manifest
 * @param now the current time
 */
export async function checkCertificate(acm: ACMClient, manifest: Manifest, now: Date): Promise<Finding> {
  const link = 'certificate';
  const stack = `${manifest.app}-${manifest.environment}`;
  const certificate = await describeCertificate(acm, manifest.certificateArn);
  const names = [certificate.DomainName, ...(certificate.SubjectAlternativeNames ?? []).filter((n) => n !== certificate.DomainName)].join(
    ', ',
  );
  const renewal = certificate.RenewalSummary?.RenewalStatus;
  const renewalDetail = renewal
    ? [
        `renewal: ${renewal}${certificate.RenewalSummary?.RenewalStatusReason ? ` (${certificate.RenewalSummary.RenewalStatusReason})` : ''}`,
      ]
    : [];
  const validationFix = `ACM validates through a CNAME in hosted zone ${manifest.hostedZoneId}: if it is gone, npx cdk deploy ${stack} adds it back`;
  if (certificate.Status !== 'ISSUED') {
    return {
      link,
      status: 'fail',
      summary: `certificate is ${certificate.Status ?? 'in an unknown state'}, not ISSUED`,
      details: [`names: ${names}`, ...renewalDetail],
      fix: validationFix,
    };
  }
  if (!certificateCovers(certificate, manifest.domainName)) {
    return {
      link,
      status: 'fail',
      summary: `certificate covers ${names}, not ${manifest.domainName}`,
      fix: `browsers refuse the site: npx cdk deploy ${stack} requests the certificate for the configured domain`,
    };
  }
  const expires = certificate.NotAfter;
  if (expires === undefined) return { link, status: 'ok', summary: `ISSUED, covers ${manifest.domainName}` };
  const days = Math.floor((expires.getTime() - now.getTime()) / 86_400_000);
  const when = expires.toISOString().slice(0, 10);
  if (days < 0) {
    return { link, status: 'fail', summary: `certificate expired on ${when}`, details: renewalDetail, fix: validationFix };
  }
  if (days < CERTIFICATE_WARN_DAYS) {
    return {
      link,
      status: days < CERTIFICATE_FAIL_DAYS ? 'fail' : 'warn',
      summary: `certificate expires in ${days} day(s), on ${when}; ACM should have renewed it by now`,
      details: renewalDetail,
      fix: validationFix,
    };
  }
  return { link, status: 'ok', summary: `ISSUED, covers ${manifest.domainName}, expires ${when} (${days} days)` };
}

function errorCode(err: unknown): string {
  return (err as { code?: string }).code ?? (err as Error).message;
}

/**
 * Asks public resolvers for the environment's name and compares their answer with the load balancer's
 * addresses (asked of the same resolver, since ALB addresses change).
 * @param resolve how to ask a DNS server
 * @param manifest the environment's manifest
 * @param resolvers the resolvers to ask, by name
 */
export async function checkPublicResolvers(
  resolve: ResolveAddresses,
  manifest: Manifest,
  resolvers: Readonly<Record<string, string>> = DEFAULT_PUBLIC_RESOLVERS,
): Promise<Finding> {
  const link = 'public DNS';
  const details: string[] = [];
  let missing = 0;
  let elsewhere = 0;
  let unreachable = 0;
  // every question at once: a resolver that times out costs its timeout once, not once per question.
  const answers = await Promise.all(
    Object.entries(resolvers).map(async ([label, server]) => {
      const [domain, balancer] = await Promise.allSettled([
        resolve(server, manifest.domainName),
        resolve(server, manifest.loadBalancer.dnsName),
      ]);
      return { label, server, domain, balancer };
    }),
  );
  for (const { label, server, domain, balancer } of answers) {
    if (domain.status === 'rejected') {
      const code = errorCode(domain.reason);
      if (code === 'ENOTFOUND' || code === 'ENODATA') {
        missing += 1;
        details.push(`${label} (${server}): no address for ${manifest.domainName} (${code})`);
      } else {
        unreachable += 1;
        details.push(`${label} (${server}): could not ask (${code})`);
      }
      continue;
    }
    // without the load balancer's addresses the answer cannot be compared; it is still shown.
    const balancerAddresses = balancer.status === 'fulfilled' ? balancer.value : [];
    const matches = domain.value.some((ip) => balancerAddresses.includes(ip));
    if (!matches) elsewhere += 1;
    details.push(
      `${label} (${server}): ${domain.value.join(', ')}${matches ? " (the load balancer's)" : `, the load balancer is at ${balancerAddresses.join(', ') || 'an unknown address'}`}`,
    );
  }
  const total = Object.keys(resolvers).length;
  if (missing > 0) {
    return {
      link,
      status: 'fail',
      summary: `public resolvers do not find ${manifest.domainName}`,
      details,
      fix: `check that the domain's registrar delegates to the name servers of hosted zone ${manifest.hostedZoneId} (aws route53 get-hosted-zone --id ${manifest.hostedZoneId})`,
    };
  }
  if (unreachable === total) {
    return {
      link,
      status: 'warn',
      summary: 'could not ask any public resolver (offline, or DNS over UDP blocked here)',
      details,
      fix: `run berth dns from a machine with internet access, name resolvers you can reach (--resolver Name=ip, or BERTH_PUBLIC_RESOLVERS), or skip this link (--skip-public-dns)`,
    };
  }
  if (elsewhere > 0) {
    return {
      link,
      status: 'warn',
      summary: `public resolvers answer addresses that are not the load balancer's`,
      details,
      fix: `an old answer may still be cached (wait for its TTL), or the registrar delegates to another zone than ${manifest.hostedZoneId}`,
    };
  }
  return {
    link,
    status: unreachable > 0 ? 'warn' : 'ok',
    summary: `public resolvers answer the load balancer's addresses`,
    details,
    ...(unreachable > 0 ? { fix: 'some resolvers could not be asked; check again later' } : {}),
  };
}

/**
 * The public-DNS link of `dns` and `doctor`: asked of the resolvers the run chose, or reported as skipped.
 * @param choice the resolvers of the run, or why there are none
 * @param resolve how to ask a DNS server
 * @param manifest the environment's manifest
 */
export async function checkPublicDns(choice: ResolverChoice, resolve: ResolveAddresses, manifest: Manifest): Promise<Finding[]> {
  if (choice.skipped !== undefined) return [{ link: 'public DNS', status: 'skip', summary: choice.skipped }];
  return safely('public DNS', () => checkPublicResolvers(resolve, manifest, choice.resolvers));
}
