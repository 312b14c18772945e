import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../infra/environments';
import { UsageError } from '../core/errors';

/** Flags every command takes. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean' },
  region: { type: 'string' },
  profile: { type: 'string' },
  config: { type: 'string' },
  'dry-run': { type: 'boolean' },
  yes: { type: 'boolean', short: 'y' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

/** Help text for {@link COMMON_OPTIONS}, shown under every command's usage. */
export const COMMON_OPTIONS_HELP = `  --json            print one JSON document on stdout (progress goes to stderr)
  --dry-run         check everything and print the plan; change nothing
  --yes, -y         do not ask for confirmation
  --region <r>      AWS region (default: the config's region)
  --profile <p>     AWS profile (default: the SDK's usual chain, e.g. AWS_PROFILE)
  --config <file>   deployment config (default: $BERTH_CONFIG or config/example.json)
  --timeout <dur>   how long to follow a deployment, e.g. 30m (default: 30m)
  --help, -h        show this help`;

type Options = NonNullable<ParseArgsConfig['options']>;

const OPTION_LINE = /^ {2}(-\S.*?)\s{2,}(\S.*)$/;
const CONTINUATION_LINE = /^\s{6,}(\S.*)$/;

/**
 * Aligns the option descriptions of a command's help text in one column: a command's own flags and the
 * common ones are written separately, with their own padding. Wrapped description lines follow along.
 * @param usage the help text as the command wrote it
 */
export function alignOptions(usage: string): string {
  const lines = usage.split('\n');
  const width = Math.max(0, ...lines.map((line) => OPTION_LINE.exec(line)?.[1].length ?? 0));
  let inOption = false;
  return lines
    .map((line) => {
      const option = OPTION_LINE.exec(line);
      if (option) {
        inOption = true;
        return `  ${option[1].padEnd(width)}  ${option[2]}`;
      }
      const continuation = inOption ? CONTINUATION_LINE.exec(line) : null;
      if (continuation) return `${' '.repeat(width + 4)}${continuation[1]}`;
      inOption = false;
      return line;
    })
    .join('\n');
}

/**
 * Parses a command's arguments: the common flags plus the command's own.
 * @param argv the arguments after the command name
 * @param options the command's own flags
 * @param allowPassThrough keep everything after `--` as `rest` (for `berth exec … -- cmd`)
 */
export function parseCommandLine<T extends Options>(argv: readonly string[], options: T, allowPassThrough = false) {
  const dashDash = allowPassThrough ? argv.indexOf('--') : -1;
  const own = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const rest = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  try {
    const parsed = parseArgs({ args: [...own], options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals, rest };
  } catch (err) {
    throw new UsageError(`${(err as Error).message.split('\n')[0]}; see --help`);
  }
}

/** Environments the CLI operates: the config's. */
export const ENVIRONMENTS = ENVIRONMENT_NAMES;

/** One of {@link ENVIRONMENTS}. */
export type Environment = EnvironmentName;

/**
 * Checks an environment argument.
 * @param value the positional argument
 * @param allowed the environments this command accepts
 * @param otherwise what to do instead with an environment the command does not take (an existing one)
 */
export function parseEnvironment<E extends Environment>(
  value: string | undefined,
  allowed: readonly E[] = ENVIRONMENTS as unknown as readonly E[],
  otherwise?: string,
): E {
  if (value === undefined) throw new UsageError(`missing environment; allowed: ${allowed.join(', ')}`);
  if (!(allowed as readonly string[]).includes(value)) {
    const hint = otherwise && (ENVIRONMENTS as readonly string[]).includes(value) ? `; ${otherwise}` : '';
    throw new UsageError(`unknown environment "${value}"; allowed: ${allowed.join(', ')}${hint}`);
  }
  return value as E;
}
