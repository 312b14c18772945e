import type { SSMClient } from '@aws-sdk/client-ssm';
import type { Manifest } from '../../infra/manifest';
import type { RoleFlags } from '../aws/assume-role';
import type { AwsClients, AwsOptions } from '../aws/clients';
import type { Environment } from './args';
import { openSession } from './session';
import type { Settings } from './settings';

/** The common flags that say where an environment lives, and who berth is there. */
export interface EnvironmentFlags extends RoleFlags {
  /** `--config`. */
  readonly config?: string;
  /** `--region`. */
  readonly region?: string;
  /** `--profile`. */
  readonly profile?: string;
}

/** One environment as a command operates it: where it is, and its manifest. */
export interface OpenEnvironment {
  /** pre or live. */
  readonly environment: Environment;
  /** the config the app name and region came from. */
  readonly settings: Settings;
  /** region and profile every client of this run is built with. */
  readonly aws: AwsOptions;
  /** the environment's manifest. */
  readonly manifest: Manifest;
  /** the SSM client the manifest was read with, for commands that need SSM again. */
  readonly ssm: SSMClient;
  /** the run's clients: a command asks it for the clients it uses. */
  readonly clients: AwsClients;
}

/**
 * Reads the config and the environment's manifest through {@link openSession}, the one place that does
 * for every command. The command line, the environment included, was checked before: a typo fails fast
 * with the usage exit code and without an AWS call.
 * @param environment the environment the command line named
 * @param flags the common flags
 * @param env the process environment (BERTH_CONFIG)
 */
export async function openEnvironment(environment: Environment, flags: EnvironmentFlags, env: NodeJS.ProcessEnv): Promise<OpenEnvironment> {
  const session = await openSession(flags, env, environment);
  return {
    environment,
    settings: session.settings,
    aws: session.aws,
    manifest: session.manifest,
    ssm: session.ssm,
    clients: session.clients,
  };
}

/**
 * The `--region` / `--profile` arguments that make the AWS CLI talk to the same account and region as berth; with
 * a role `--role` assumed, its credentials go in the environment instead ({@link awsCliEnvironment}).
 * @param aws the run's AWS options
 */
export function awsCliOptions(aws: AwsOptions): string[] {
  return ['--region', aws.region, ...(aws.profile && !aws.credentials ? ['--profile', aws.profile] : [])];
}

/**
 * The environment of an AWS CLI berth starts: berth's own, with the credentials of the role `--role` assumed, which
 * the AWS CLI reads before any profile (AWS CLI user guide, "Configuration and credential precedence").
 * @param aws the run's AWS options
 * @param env berth's environment
 */
export function awsCliEnvironment(aws: AwsOptions, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (!aws.credentials) return env;
  const { AWS_PROFILE: _profile, AWS_SESSION_TOKEN: _token, ...rest } = env;
  return {
    ...rest,
    AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
    ...(aws.credentials.sessionToken ? { AWS_SESSION_TOKEN: aws.credentials.sessionToken } : {}),
  };
}
