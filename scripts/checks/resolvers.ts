import { isIP, isIPv4 } from 'node:net';
import { UsageError } from '../core/errors';

/** The public resolvers the public-DNS link asks when nothing else is chosen, by name. */
export const DEFAULT_PUBLIC_RESOLVERS: Readonly<Record<string, string>> = { Cloudflare: '1.1.1.1', Google: '8.8.8.8' };

/** The variable that chooses the public resolvers: `Name=ip[:port],Name=ip[:port]`, or `none`. */
export const RESOLVERS_VARIABLE = 'BERTH_PUBLIC_RESOLVERS';

/** Which resolvers the public-DNS link asks, or why it is skipped. */
export type ResolverChoice =
  | { readonly resolvers: Readonly<Record<string, string>>; readonly skipped?: undefined }
  | { readonly skipped: string; readonly resolvers?: undefined };

const ALLOWED = `allowed: Name=ip[:port] such as Cloudflare=1.1.1.1, Local=127.0.0.1:5353 or Lab=[2001:db8::53]:53, several comma-separated, or none`;

/**
 * One `Name=ip[:port]` as node:dns takes a server: `ip`, `ip:port`, `[ipv6]:port`.
 * @param entry the text
 * @param source where it came from, for the message
 */
function parseEntry(entry: string, source: string): [string, string] {
  const match = /^([^=]+)=(.+)$/.exec(entry.trim());
  const name = match?.[1].trim() ?? '';
  const address = match?.[2].trim() ?? '';
  let host: string | undefined;
  let port: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  const withPort = /^([^:]+):(\d+)$/.exec(address);
  if (bracketed && isIP(bracketed[1]) === 6) [host, port] = [bracketed[1], bracketed[2]];
  else if (isIP(address) !== 0) host = address;
  else if (withPort && isIPv4(withPort[1])) [host, port] = [withPort[1], withPort[2]];
  const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
  if (!/^[\w .-]{1,40}$/.test(name) || host === undefined || !portOk) {
    throw new UsageError(`${source} "${entry.trim()}" is not Name=ip[:port]; ${ALLOWED}`);
  }
  const server = isIP(host) === 6 ? (port ? `[${host}]:${port}` : host) : port ? `${host}:${port}` : host;
  return [name, server];
}

/**
 * Parses a list of resolvers: `Name=ip[:port],Name=ip[:port]`.
 * @param text the list, or `none`
 * @param source where it came from, for the message (`--resolver`, `BERTH_PUBLIC_RESOLVERS`)
 * @returns the resolvers by name, or undefined for `none`
 */
export function parseResolvers(text: string, source: string): Record<string, string> | undefined {
  if (text.trim() === 'none') return undefined;
  const entries = text.split(',').filter((e) => e.trim().length > 0);
  if (entries.length === 0) throw new UsageError(`${source} "${text}" names no resolver; ${ALLOWED}`);
  return Object.fromEntries(entries.map((entry) => parseEntry(entry, source)));
}

/**
 * The resolvers of a run: `--skip-public-dns`, else `--resolver` (repeated or comma-separated), else
 * `BERTH_PUBLIC_RESOLVERS`, else {@link DEFAULT_PUBLIC_RESOLVERS}. Corporate networks often block public
 * resolvers, and a test must never ask one.
 * @param values the command's options
 * @param env the process environment
 */
export function chooseResolvers(
  values: { readonly resolver?: readonly string[]; readonly 'skip-public-dns'?: boolean },
  env: NodeJS.ProcessEnv,
): ResolverChoice {
  if (values['skip-public-dns']) return { skipped: 'skipped (--skip-public-dns)' };
  const [text, source] =
    values.resolver && values.resolver.length > 0
      ? [values.resolver.join(','), '--resolver']
      : [env[RESOLVERS_VARIABLE], RESOLVERS_VARIABLE];
  if (text === undefined || text === '') return { resolvers: DEFAULT_PUBLIC_RESOLVERS };
  const resolvers = parseResolvers(text, source);
  return resolvers ? { resolvers } : { skipped: `skipped (${source}=none)` };
}
