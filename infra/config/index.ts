/**
 * The config as `cdk synth` reads it: the schema (./schema), the rules it cannot express (./rules) and
 * the checks that need aws-cdk-lib (./aws-rules), every problem collected before anything is built.
 * The CLI reads the same definitions through ./check, without aws-cdk-lib.
 */
import { AWS_RULES } from './aws-rules';
import { checkConfig, ConfigError, type ConfigRule, readConfigFile } from './check';
import type { BerthConfig } from './resolve';
import { CONFIG_RULES } from './rules';

export { ENVIRONMENT_NAMES, type EnvironmentName } from '../environments';
export { databaseEngineVersions } from './aws-rules';
export { type ConfigRule, ConfigError, environmentRule } from './check';
export type * from './resolve';
export { mostTasks } from './resolve';
export {
  DATABASE_MAXIMUM_STORAGE_GIB,
  DATABASE_MINIMUM_STORAGE_GIB,
  DATABASE_VARIABLE_NAMES,
  MAX_TEST_SOURCE_CIDRS,
  RELEASE_TAG,
  ARCHITECTURES,
  DATABASE_ENGINES,
  IMAGE_PULL_BEHAVIOURS,
  INSTANCE_SUBNET_KINDS,
} from './schema';

/** Every check synth makes beyond the schema, in the order they run. */
export const SYNTH_RULES: readonly ConfigRule[] = [...CONFIG_RULES, ...AWS_RULES];

/**
 * Reads a config file and validates it; see {@link parseConfig}.
 * @param file path of a JSON config file
 */
export function loadConfig(file: string): BerthConfig {
  return parseConfig(readConfigFile(file), file);
}

/**
 * Validates a parsed config and fills in defaults. Collects every problem before it throws, so a user
 * fixes a config in one pass.
 * @param raw the parsed JSON
 * @param source where it came from, for the error message
 */
export function parseConfig(raw: unknown, source = 'config'): BerthConfig {
  const { config, problems } = checkConfig(raw, SYNTH_RULES);
  const messages = problems.map((problem) => problem.message);
  if (messages.length > 0) throw new ConfigError(source, messages);
  return config;
}
