import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../../infra/environments';
import { UsageError } from '../core/errors';
import type { CommandDefinition, OptionDefinition, OptionDefinitions, OptionValues, ParsedCommandLine } from './command';

/** Environments the CLI operates: the config's. */
export const ENVIRONMENTS = ENVIRONMENT_NAMES;

/** One of {@link ENVIRONMENTS}. */
export type Environment = EnvironmentName;

/**
 * The options several commands share, each described once. A command lists those it uses in its
 * definition (`...common('json', 'timeout')`), so its help and its command line offer only those.
 */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', help: 'print one JSON document on stdout (progress goes to stderr)' },
  'dry-run': { type: 'boolean', help: 'check everything and print the plan; change nothing' },
  yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' },
  timeout: {
    type: 'string',
    value: '<dur>',
    help: "how long to follow a deployment, e.g. 45m (default: the environment's release timing\nas ECS and the load balancer report it, plus 20m, at least 30m; the plan shows it)",
  },
  region: { type: 'string', value: '<r>', help: "AWS region (default: the config's region)" },
  profile: { type: 'string', value: '<p>', help: "AWS profile (default: the SDK's usual chain, e.g. AWS_PROFILE)" },
  role: {
    type: 'string',
    value: '<duty|arn>',
    help: "assume this first: the environment's viewer, troubleshooter or releaser role, or a role ARN",
  },
  'mfa-serial': { type: 'string', value: '<arn>', help: 'your MFA device, for a role that asks for MFA (default: $BERTH_MFA_SERIAL)' },
  'mfa-code': { type: 'string', value: '<code>', help: 'the 6-digit code your MFA device shows now (default: $BERTH_MFA_CODE)' },
  config: { type: 'string', value: '<file>', help: 'deployment config (default: $BERTH_CONFIG or config/example.json)' },
} as const satisfies OptionDefinitions;

/** The name of a common option. */
export type CommonOption = keyof typeof COMMON_OPTIONS;

/** `--help`, which every command takes and the entry point answers before the command loads. */
export const HELP_OPTION = { type: 'boolean', short: 'h', help: 'show this help' } as const satisfies OptionDefinition;

/**
 * Some of the common options, in the order every help lists them.
 * @param names the common options a command uses
 */
export function common<const N extends CommonOption>(...names: readonly N[]): Pick<typeof COMMON_OPTIONS, N> {
  const picked = Object.entries(COMMON_OPTIONS).filter(([name]) => (names as readonly string[]).includes(name));
  return Object.fromEntries(picked) as Pick<typeof COMMON_OPTIONS, N>;
}

/** Where the environment is and who berth is there: every command that calls AWS takes these. */
export const IDENTITY_OPTIONS = ['region', 'profile', 'role', 'mfa-serial', 'mfa-code', 'config'] as const;

/** The options every command that reads an environment takes: where it is, and `--json`. */
export const ENVIRONMENT_OPTIONS = common('json', ...IDENTITY_OPTIONS);

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

/** The options of a definition with `--help`, as `--help` lists them and the parser accepts them. */
export function allOptions(definition: CommandDefinition): [string, OptionDefinition][] {
  return [...Object.entries(definition.options), ['help', HELP_OPTION]];
}

/** `--name` (and `-x`) as help and messages show an option. */
export function optionLabel(name: string, option: OptionDefinition, withValue = true): string {
  const value = option.type === 'string' && withValue ? ` ${option.value ?? '<value>'}` : '';
  return `--${name}${value}${option.short ? `, -${option.short}` : ''}`;
}

/** `berth status <pre|live>`: the start of a command's usage line. */
export function usagePrefix(definition: CommandDefinition): string {
  const environments = definition.environments.length === 1 ? definition.environments[0] : `<${definition.environments.join('|')}>`;
  return `berth ${definition.name} ${environments}`;
}

/**
 * Checks a command line against the command's definition, the one parser every command goes through:
 * options it does not take, values missing or given to a switch, a missing or extra argument are each
 * one line in berth's words that says what is allowed.
 * @param definition the command's definition
 * @param argv the arguments after the command name
 */
export function parseCommandLine<D extends CommandDefinition>(definition: D, argv: readonly string[]): ParsedCommandLine<D> {
  const dashDash = definition.passThrough ? argv.indexOf('--') : -1;
  const own = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const rest = dashDash >= 0 ? argv.slice(dashDash + 1) : [];
  const options = allOptions(definition);
  const byName = new Map(options);
  const config: NonNullable<ParseArgsConfig['options']> = Object.fromEntries(
    options.map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
  // strict parsing would end in node's own messages; berth checks the tokens itself and says it in its words.
  const parsed = parseArgs({ args: [...own], options: config, allowPositionals: true, strict: false, tokens: true });
  const allowed = `allowed: ${options.map(([name, o]) => `--${name}${o.short ? `/-${o.short}` : ''}`).join(', ')}`;
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') continue;
    const option = byName.get(token.name);
    if (!option) throw new UsageError(`unknown option ${token.rawName}; ${allowed}`);
    const label = optionLabel(token.name, option);
    if (option.type === 'boolean' && token.value !== undefined) {
      throw new UsageError(`${token.rawName} takes no value ("${token.value}"); allowed: ${optionLabel(token.name, option, false)} alone`);
    }
    if (option.type === 'string' && token.value === undefined) throw new UsageError(`${token.rawName} needs a value; allowed: ${label}`);
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw new UsageError(
        `${token.rawName} needs a value, and "${token.value}" looks like an option; allowed: ${label} (write --${token.name}=${token.value} for a value that starts with -)`,
      );
    }
  }
  const positionals = parsed.positionals;
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument "${positionals[1]}"; usage: ${usagePrefix(definition)} [options]`);
  }
  const environment = parseEnvironment(positionals[0], definition.environments, definition.otherEnvironment);
  for (const [name, option] of options) {
    if (option.required !== undefined && parsed.values[name] === undefined) {
      throw new UsageError(`--${name} is required; ${option.required.replace(/<env>/g, environment)}`);
    }
  }
  return { environment, values: parsed.values as OptionValues<D['options']>, rest };
}
