/**
 * Reading a config: the schema first (types, limits, unknown fields, the cross-field rules the JSON
 * Schema expresses), then the rules it cannot express. synth (./index) and the CLI
 * (scripts/cli/settings.ts) both read configs through {@link checkConfig}; synth adds the rules that
 * need aws-cdk-lib. Nothing in this file may import aws-cdk-lib: the CLI bundles it.
 */
import * as fs from 'node:fs';
import { ENVIRONMENT_NAMES, type EnvironmentName } from '../environments';
import { type BerthConfig, type EnvironmentConfig, resolveConfig } from './resolve';
import { berthConfigSchema } from './schema';
import { type Problem, type Read, Reading, readSchema } from './schema-kit';

/** The config as the schema read it, defaults filled in, before {@link resolveConfig} (a disabled database block is still there). */
export type ConfigRead = Read<typeof berthConfigSchema>;

/** What a rule gets besides the resolved config. */
export interface RuleContext {
  /** the config as the schema read it. */
  readonly read: ConfigRead;
  /**
   * Reports a problem.
   * @param path the field (dotted)
   * @param text what follows `<path>: `, in the style `<what is wrong>; allowed: <what is allowed>`
   */
  readonly report: (path: string, text: string) => void;
}

/** A check of the config that its JSON Schema cannot express. */
export interface ConfigRule {
  /**
   * the fields the rule reads (dotted paths). The rule is skipped when one of them already has a problem,
   * or is in doubt because its name was misspelt, so that one mistake is reported once.
   */
  readonly reads: readonly string[];
  /** checks the config and reports what is wrong. */
  readonly check: (config: BerthConfig, context: RuleContext) => void;
}

/** What a rule for one environment gets. */
export interface EnvironmentRuleContext {
  /** the environment's name. */
  readonly name: EnvironmentName;
  /** the environment's path in the config, `environments.<env>`. */
  readonly path: string;
  /** the whole resolved config. */
  readonly config: BerthConfig;
  /** the environment as the schema read it (a disabled database block is still there). */
  readonly read: ConfigRead['environments'][EnvironmentName];
  /**
   * Reports a problem.
   * @param field the field, relative to `environments.<env>`
   * @param text what follows `<path>: `
   */
  readonly report: (field: string, text: string) => void;
  /**
   * Reports a whole problem line that names its own field (`environments.live.maxCapacity: …`), as the
   * checks of infra/capacity-checks.ts return them; nothing when there is none.
   */
  readonly reportLine: (line: string | undefined) => void;
}

/**
 * A rule that runs once per environment: the hook for checks of one environment's fields, e.g.
 * `...environmentRule({ reads: ['minCapacity', 'maxCapacity'], check: (env, { report }) => … })`.
 * @param spec `reads`: fields relative to `environments.<env>`; `readsConfig`: fields outside it
 */
export function environmentRule(spec: {
  readonly reads: readonly string[];
  readonly readsConfig?: readonly string[];
  readonly check: (environment: EnvironmentConfig, context: EnvironmentRuleContext) => void;
}): ConfigRule[] {
  return ENVIRONMENT_NAMES.map((name) => ({
    reads: [...spec.reads.map((field) => `environments.${name}.${field}`), ...(spec.readsConfig ?? [])],
    check: (config, { read, report }) =>
      spec.check(config.environments[name], {
        name,
        path: `environments.${name}`,
        config,
        read: read.environments[name],
        report: (field, text) => report(`environments.${name}.${field}`, text),
        reportLine: (line) => {
          if (line === undefined) return;
          const colon = line.indexOf(': ');
          report(line.slice(0, colon), line.slice(colon + 2));
        },
      }),
  }));
}

/** A config and every problem found in it. */
export interface ConfigCheck {
  /** the resolved config; fields with a problem hold a stand-in, so use it only when there are no problems. */
  readonly config: BerthConfig;
  /** the problems, in the order of the fields in the config. */
  readonly problems: readonly Problem[];
  /** whether a field was read without a problem (of its own, above or in it) and its name was not misspelt. */
  readonly isClean: (path: string) => boolean;
}

/**
 * Reads a parsed config with the schema, then runs the rules whose fields were read without a problem.
 * @param raw the parsed JSON
 * @param rules the checks beyond the schema
 */
export function checkConfig(raw: unknown, rules: readonly ConfigRule[]): ConfigCheck {
  const reading = new Reading();
  const read = readSchema(berthConfigSchema, raw, reading);
  const config = resolveConfig(read);
  const report = (path: string, text: string) => reading.report(path, text);
  for (const rule of rules) {
    if (rule.reads.every((path) => reading.isClean(path))) rule.check(config, { read, report });
  }
  return { config, problems: reading.problems, isClean: (path) => reading.isClean(path) };
}

/** Thrown for every invalid configuration; its message lists each bad field on its own line. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid berth config ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and parses a config file.
 * @param file path of a JSON config file
 * @throws ConfigError when the file cannot be read or is not JSON
 */
export function readConfigFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot read the file: ${(err as Error).message}`]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new ConfigError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
}
