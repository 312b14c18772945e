import * as fs from 'node:fs';
import { UsageError } from './errors';

/** Where the CLI finds the app it operates: the same config file `cdk synth` reads. */
export interface Settings {
  /** the config file read. */
  readonly configFile: string;
  /** app name: the manifest lives at `/berth/<app>/<env>/manifest`. */
  readonly appName: string;
  /** region of the stacks. */
  readonly region: string;
  /** GitHub repository (`owner/name`) whose releases `promote` checks, when configured. */
  readonly githubRepository?: string;
}

/** The config file when neither `--config` nor `BERTH_CONFIG` names one; the same default as `cdk synth`. */
export const DEFAULT_CONFIG_FILE = 'config/example.json';

/**
 * Reads the few fields the CLI needs from the deployment config, without the CDK-side validation
 * (which would load aws-cdk-lib and slow every command down).
 * @param file `--config` if given
 * @param env the process environment (`BERTH_CONFIG`)
 */
export function readSettings(file: string | undefined, env: NodeJS.ProcessEnv): Settings {
  const configFile = file ?? env.BERTH_CONFIG ?? DEFAULT_CONFIG_FILE;
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch (err) {
    throw new UsageError(
      `cannot read config ${configFile}: ${(err as Error).message.split('\n')[0]}; pass --config <file> or set BERTH_CONFIG`,
    );
  }
  const config = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const appName = config.appName;
  const region = config.region;
  if (typeof appName !== 'string' || !/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(appName)) {
    throw new UsageError(
      `config ${configFile}: appName ${JSON.stringify(appName)} is not valid; allowed: 3 to 20 lower-case letters, digits and hyphens`,
    );
  }
  if (typeof region !== 'string' || region.length === 0) {
    throw new UsageError(`config ${configFile}: region ${JSON.stringify(region)} is not valid; allowed: an AWS region such as eu-west-1`);
  }
  const github = config.github as Record<string, unknown> | undefined;
  const repository = github?.repository;
  if (repository !== undefined && (typeof repository !== 'string' || !/^[\w.-]+\/[\w.-]+$/.test(repository))) {
    throw new UsageError(`config ${configFile}: github.repository ${JSON.stringify(repository)} is not valid; allowed: owner/name`);
  }
  return { configFile, appName, region, githubRepository: repository };
}
