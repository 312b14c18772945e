import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import type { Manifest } from '../../infra/manifest';
import { AwsClients, type AwsOptions, networkLimits } from '../aws/clients';
import type { GithubOptions } from '../github/releases';
import { readManifest } from '../aws/manifest';
import { assumeRole, type RoleFlags, roleRequest } from '../aws/assume-role';
import { parseDuration } from '../core/timing';
import type { Environment } from './args';
import { readSettings, type Settings } from './settings';

/** The common flags every release command reads. */
export interface CommonValues extends RoleFlags {
  readonly region?: string;
  readonly profile?: string;
  readonly config?: string;
  readonly timeout?: string;
}

/** The AWS clients the release commands use, built on first use by the run's {@link AwsClients}. */
export interface ReleaseClients {
  readonly ecs: ECSClient;
  readonly ecr: ECRClient;
  readonly ssm: SSMClient;
  readonly elbv2: ElasticLoadBalancingV2Client;
  /** who runs berth (GetCallerIdentity), for the tags of a release revision. */
  readonly sts: STSClient;
}

/** Settings, clients and manifest of one command run against one environment. */
export interface Session extends ReleaseClients {
  /** the config's fields the CLI reads. */
  readonly settings: Settings;
  /** region and profile every client of this run is built with (also passed on to the AWS CLI). */
  readonly aws: AwsOptions;
  /** the environment's manifest. */
  readonly manifest: Manifest;
  /** every other client of the run. */
  readonly clients: AwsClients;
}

/** Milliseconds between two looks at a deployment; `BERTH_POLL_INTERVAL_MS` overrides it (tests use 1). */
export const DEFAULT_POLL_INTERVAL_MS = 5000;

/**
 * Reads the config, builds the clients and reads the environment's manifest.
 * @param values the parsed common flags
 * @param env the process environment
 * @param environment pre or live
 * @param settings the config's CLI fields, when the command read them already
 */
export async function openSession(
  values: CommonValues,
  env: NodeJS.ProcessEnv,
  environment: Environment,
  settings: Settings = readSettings(values.config, env),
): Promise<Session> {
  const { aws, clients } = await openAws(values, env, environment, settings);
  const manifest = await readManifest(clients.get(SSMClient), settings.appName, environment);
  return {
    settings,
    aws,
    manifest,
    clients,
    get ecs() {
      return clients.get(ECSClient);
    },
    get ecr() {
      return clients.get(ECRClient);
    },
    get ssm() {
      return clients.get(SSMClient);
    },
    get elbv2() {
      return clients.get(ElasticLoadBalancingV2Client);
    },
    get sts() {
      return clients.get(STSClient);
    },
  };
}

/**
 * The AWS side of a run without its manifest: the options and clients, with the role `--role` names assumed. For
 * {@link openSession}, and for `berth verify` before an environment's first deploy, when there is no manifest yet.
 * @param values the parsed common flags
 * @param env the process environment
 * @param environment pre or live
 * @param settings the config's CLI fields
 */
export async function openAws(
  values: CommonValues,
  env: NodeJS.ProcessEnv,
  environment: Environment,
  settings: Settings,
): Promise<{ readonly aws: AwsOptions; readonly clients: AwsClients }> {
  const own: AwsOptions = {
    region: values.region ?? settings.region,
    ...(values.profile ? { profile: values.profile } : {}),
    network: networkLimits(env),
  };
  const role = roleRequest(values, env, { app: settings.appName, account: settings.account, region: own.region, environment });
  const aws: AwsOptions = role ? { ...own, credentials: await assumeRole(new AwsClients(own).get(STSClient), role) } : own;
  return { aws, clients: new AwsClients(aws) };
}

/**
 * How to follow deployments in this run: `--timeout` when given (without it, the default derives from the
 * environment's release timing once its service is read: scripts/release/timing.ts) and the poll interval.
 * @param values the parsed common flags
 * @param env the process environment (`BERTH_POLL_INTERVAL_MS`)
 */
export function followSettings(values: CommonValues, env: NodeJS.ProcessEnv): { timeoutSeconds?: number; intervalMs: number } {
  const fromEnv = Number(env.BERTH_POLL_INTERVAL_MS);
  return {
    ...(values.timeout !== undefined ? { timeoutSeconds: parseDuration(values.timeout, '--timeout') } : {}),
    intervalMs: Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_POLL_INTERVAL_MS,
  };
}

/**
 * The GitHub settings of a run, when the config names a repository.
 * @param settings the config's CLI fields
 * @param env the process environment (`GITHUB_TOKEN`, `GITHUB_API_URL`)
 */
export function githubOptions(settings: Settings, env: NodeJS.ProcessEnv): GithubOptions | undefined {
  if (!settings.githubRepository) return undefined;
  return {
    repository: settings.githubRepository,
    ...(env.GITHUB_TOKEN ? { token: env.GITHUB_TOKEN } : {}),
    ...(env.GITHUB_API_URL ? { apiUrl: env.GITHUB_API_URL } : {}),
  };
}

/**
 * The page of the GitHub Actions run berth runs in, from the variables every workflow run sets
 * (`GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_RUN_ID`: default environment variables,
 * https://docs.github.com/en/actions/reference/variables-reference), or undefined outside a workflow.
 * @param env the process environment
 */
export function githubRunUrl(env: NodeJS.ProcessEnv): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  if (!server || !repository || !runId || !/^\d+$/.test(runId)) return undefined;
  return `${server.replace(/\/+$/, '')}/${repository}/actions/runs/${runId}`;
}
