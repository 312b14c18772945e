import { ACMClient } from '@aws-sdk/client-acm';
import { Route53Client } from '@aws-sdk/client-route-53';
import { checkAliasRecords, checkCertificate, checkPublicDns, type ResolveAddresses, resolveWithNodeDns } from '../checks/dns';
import { openEnvironment } from '../cli/environment';
import { findingsExitCode, formatFindings, safely, worstStatus } from '../checks/findings';
import { chooseResolvers } from '../checks/resolvers';
import { bindCommand, type Command } from '../cli/command';
import { DNS } from './definitions';

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
  return bindCommand(DNS, async (args, context, output) => {
    const choice = chooseResolvers(args.values, context.env);
    const { environment, manifest, clients } = await openEnvironment(args.environment, args.values, context.env);
    // ACM certificates for an ALB live in the ALB's region, which is the stacks' region.
    const findings = [
      ...(await safely('DNS alias', () => checkAliasRecords(clients.get(Route53Client), manifest))),
      ...(await safely('certificate', () => checkCertificate(clients.get(ACMClient), manifest, dependencies.now()))),
      ...(await checkPublicDns(choice, dependencies.resolve, manifest)),
    ];
    output.result(
      { environment, domainName: manifest.domainName, status: worstStatus(findings), findings },
      `${manifest.domainName} (${environment})\n${formatFindings(findings)}`,
    );
    return findingsExitCode(findings);
  });
}

/** `berth dns <env>`. */
export const dns: Command = createDnsCommand({ resolve: resolveWithNodeDns, now: () => new Date() });
