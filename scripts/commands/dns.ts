import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import {
  checkAliasRecords,
  checkCertificate,
  checkPublicResolvers,
  PUBLIC_RESOLVERS,
  type ResolveAddresses,
  resolveWithNodeDns,
} from '../checks/dns';
import { COMMON_OPTIONS_HELP, parseCommandLine } from '../cli/args';
import { openEnvironment } from '../cli/environment';
import { findingsExitCode, formatFindings, safely, worstStatus } from '../checks/findings';
import type { Command } from '../cli/command';

const USAGE = `Usage: berth dns <pre|live> [options]

Checks the environment's name end to end, and changes nothing:
  - Route 53: the subdomain's A (and AAAA) record is an alias to this environment's load balancer;
  - ACM: the certificate is issued, covers the name (a wildcard one label up counts) and is not near expiry;
  - public resolvers (${Object.entries(PUBLIC_RESOLVERS)
    .map(([n, ip]) => `${n} ${ip}`)
    .join(', ')}): what they answer for the name.
Exit code: 0 all ok, 6 warnings only, 4 something fails.

Options:
${COMMON_OPTIONS_HELP}
`;

/** What the dns command can be built with; tests inject a resolver that never touches the network. */
export interface DnsDependencies {
  /** asks one DNS server for a name's IPv4 addresses. */
  readonly resolve: ResolveAddresses;
  /** the clock, for the certificate's expiry. */
  readonly now: () => Date;
}

/**
 * Builds `berth dns` with its resolver and clock.
 * @param dependencies resolver and clock
 */
export function createDnsCommand(dependencies: DnsDependencies): Command {
  return {
    name: 'dns',
    summary: "check the subdomain's Route 53 alias, its certificate and what public resolvers answer",
    usage: USAGE,
    async run(context, output) {
      const { values, positionals } = parseCommandLine(context.argv, {});
      const { environment, manifest, clients } = await openEnvironment(positionals[0], values, context.env);
      // ACM certificates for an ALB live in the ALB's region, which is the stacks' region.
      const findings = [
        ...(await safely('DNS alias', () => checkAliasRecords(clients.get(Route53Client), manifest))),
        ...(await safely('certificate', () => checkCertificate(clients.get(ACMClient), manifest, dependencies.now()))),
        ...(await safely('public DNS', () => checkPublicResolvers(dependencies.resolve, manifest))),
      ];
      output.result(
        { environment, domainName: manifest.domainName, status: worstStatus(findings), findings },
        `${manifest.domainName} (${environment})\n${formatFindings(findings)}`,
      );
      return findingsExitCode(findings);
    },
  };
}

/** `berth dns <env>`. */
export const dns: Command = createDnsCommand({ resolve: resolveWithNodeDns, now: () => new Date() });
