import * as fs from 'node:fs';
import { checkConfig } from '../../infra/config/check';
import type { Architecture, EnvironmentName } from '../../infra/config/resolve';
import { UsageError } from '../core/errors';

/** Where the CLI finds the app it operates: the same config file `cdk synth` reads. */
export interface Settings {
  /** the config file read. */
  readonly configFile: string;
  /** app name: the manifest lives at `/berth/<app>/<env>/manifest`. */
  readonly appName: string;
  /** region of the stacks. */
  readonly region: string;
  /** the account of the stacks, when the config's is valid: `--role <duty>` names its duty role there. */
  readonly account?: string;
  /** GitHub repository (`owner/name`) whose releases `promote` checks, when configured. */
  readonly githubRepository?: string;
}

/** The config file when neither `--config` nor `BERTH_CONFIG` names one; the same default as `cdk synth`. */
export const DEFAULT_CONFIG_FILE = 'config/example.json';

/** The config fields the CLI uses; a problem elsewhere is for `cdk synth` to report. */
const CLI_FIELDS = ['appName', 'region', 'github'] as const;

/**
 * The config file a run reads: `--config`, else `$BERTH_CONFIG`, else {@link DEFAULT_CONFIG_FILE}, the same
 * order for every command and for `npm run bench`.
 * @param file `--config` if given
 * @param env the process environment (`BERTH_CONFIG`)
 */
export function configFileOf(file: string | undefined, env: NodeJS.ProcessEnv): string {
  return file ?? (env.BERTH_CONFIG || undefined) ?? DEFAULT_CONFIG_FILE;
}

/**
 * Reads the deployment config through the same definitions as `cdk synth` (infra/config/check.ts),
 * without the checks that need aws-cdk-lib, which would slow every command down. It refuses the config
 * when a field the CLI uses has a problem; problems elsewhere do not stop a command (an operator may need
 * `berth rollback` while an edit of the file is under way).
 * @param file `--config` if given
 * @param env the process environment (`BERTH_CONFIG`)
 */
export function readSettings(file: string | undefined, env: NodeJS.ProcessEnv): Settings {
  const configFile = configFileOf(file, env);
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `cannot read config ${configFile}: ${(err as Error).message.split('\n')[0]}; pass --config <file> or set BERTH_CONFIG`,
    );
  }
  const { config, problems, isClean } = checkConfig(raw, []);
  if (CLI_FIELDS.some((field) => !isClean(field))) {
    // the fields' own problems, and an unknown field beside them that may be one misspelt (`regin`).
    const ours = (path: string) => path === '' || CLI_FIELDS.some((field) => path === field || path.startsWith(`${field}.`));
    const lines = problems
      .filter((p) => ours(p.path) || (!p.path.includes('.') && p.message.includes(': unknown field;')))
      .map((p) => p.message);
    throw new UsageError(
      lines.length === 1 ? `config ${configFile}: ${lines[0]}` : `config ${configFile}:\n${lines.map((l) => `  - ${l}`).join('\n')}`,
    );
  }
  return {
    configFile,
    appName: config.appName,
    ...(isClean('account') ? { account: config.account } : {}),
    region: config.region,
    githubRepository: config.github?.repository,
  };
}

/** What an environment's first deploy needs that the config alone says: `berth verify` checks it before there is a manifest. */
export interface FirstDeploySettings {
  /** the CPU architecture of the environment's instances. */
  readonly architecture: Architecture;
  /** the app container's secrets, name to ARN (`container.secrets`). */
  readonly secrets: Readonly<Record<string, string>>;
  /** the release live's image-tag parameter starts with (live only). */
  readonly initialImageTag?: string;
}

/**
 * Reads what an environment's first deploy needs from the config; refuses the config when one of those fields has
 * a problem (the other fields are for `cdk synth` to report).
 * @param configFile the config file the run read
 * @param environment pre or live
 */
export function readFirstDeploySettings(configFile: string, environment: EnvironmentName): FirstDeploySettings {
  const { config, problems, isClean } = checkConfig(JSON.parse(fs.readFileSync(configFile, 'utf8')), []);
  const fields = ['architecture', 'container.secrets', 'initialImageTag'].map((field) => `environments.${environment}.${field}`);
  const ours = problems.filter((p) => fields.some((field) => p.path === field || p.path.startsWith(`${field}.`)));
  if (fields.some((field) => !isClean(field)) || ours.length > 0) {
    throw new UsageError(`config ${configFile}: ${ours.map((p) => p.message).join('; ') || `environments.${environment} has problems`}`);
  }
  const settings = config.environments[environment];
  return {
    architecture: settings.architecture,
    secrets: settings.container.secrets,
    ...(settings.initialImageTag === undefined ? {} : { initialImageTag: settings.initialImageTag }),
  };
}
