import type { Manifest } from '../../infra/manifest';
import type { AwsClients } from '../aws/clients';
import { liveImageTagParameter, readImageTag } from '../aws/image-tag';
import { ManifestMissingRefusal, ManifestVersionRefusal } from '../aws/manifest';
import { type Finding, findingsExitCode, formatFindings, worstStatus } from '../checks/findings';
import { type PreflightImage, runFirstDeployPreflight, runPreflight, unreadableManifestSchema } from '../checks/preflight';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { EnvironmentFlags } from '../cli/environment';
import type { Output } from '../cli/output';
import { openAws, openSession } from '../cli/session';
import { readFirstDeploySettings, readSettings, type Settings } from '../cli/settings';
import type { EnvironmentName } from '../../infra/environments';
import { imageTagParameterName } from '../../infra/manifest';
import { checkReleaseTag } from '../cli/release-tag';
import { bindCommand, type Command } from '../cli/command';
import { UsageError } from '../core/errors';
import { PRE_IMAGE_TAG, VERIFY } from './definitions';

/** What verify can be built with; tests inject a clock. */
export interface VerifyDependencies {
  /** the clock, for the certificate's expiry. */
  readonly now: () => Date;
}

/**
 * The image the next release (or the first deploy) of an environment runs when `--tag` is not given: for pre, its
 * branch tag; for live, the tag the image-tag parameter holds (what a redeploy, a rollback's baseline or a replaced
 * task runs), else the fallback (the manifest's default, or before the first deploy the config's initialImageTag).
 * @param ssm an SSM client
 * @param next the environment, `--tag` when given, live's image-tag parameter and the tag without one recorded
 */
export async function nextReleaseImage(
  ssm: SSMClient,
  next: {
    readonly environment: EnvironmentName;
    readonly tag?: string;
    readonly parameter: () => string;
    readonly fallback?: PreflightImage;
  },
): Promise<PreflightImage> {
  if (next.tag !== undefined) return { tag: next.environment === 'live' ? checkReleaseTag(next.tag, true) : next.tag, source: '--tag' };
  if (next.environment !== 'live') return { tag: PRE_IMAGE_TAG, source: `pre's ${PRE_IMAGE_TAG}` };
  const parameter = next.parameter();
  const recorded = await readImageTag(ssm, parameter);
  if (recorded) return { tag: recorded.tag, source: `recorded in ${parameter}` };
  if (next.fallback) return next.fallback;
  throw new UsageError('environments.live.initialImageTag is not set; name the image with --tag');
}

/**
 * Builds `berth verify` with its clock.
 * @param dependencies the clock
 */
export function createVerifyCommand(dependencies: VerifyDependencies): Command {
  return bindCommand(VERIFY, async (args, context, output) => {
    const environment = args.environment;
    // read once: without a manifest, the first-deploy checks take what they need from the same config.
    const settings = readSettings(args.values.config, context.env);
    let opened: { manifest: Manifest; ssm: SSMClient; clients: AwsClients };
    try {
      opened = await openSession(args.values, context.env, environment, settings);
    } catch (err) {
      if (err instanceof ManifestMissingRefusal) return verifyFirstDeploy(environment, settings, args.values, context.env, output);
      // a manifest of another schema version is a failing check of its own; nothing after it can be read.
      if (!(err instanceof ManifestVersionRefusal)) throw err;
      const findings: Finding[] = [unreadableManifestSchema(err.message)];
      output.result({ environment, status: worstStatus(findings), findings }, `berth verify ${environment}\n\n${formatFindings(findings)}`);
      return findingsExitCode(findings);
    }
    const { manifest, ssm, clients } = opened;
    const image = await nextReleaseImage(ssm, {
      environment,
      ...(args.values.tag === undefined ? {} : { tag: args.values.tag }),
      parameter: () => liveImageTagParameter(manifest),
      fallback: { tag: manifest.defaultImageTag, source: "the manifest's default: no tag recorded yet" },
    });
    output.progress(`checking what the next release of ${environment} (${image.tag}) needs…`);
    const findings = await runPreflight(clients, manifest, { image, now: dependencies.now() });
    output.result(
      { environment, tag: image.tag, tagSource: image.source, status: worstStatus(findings), findings },
      `berth verify ${environment}: ${manifest.repository.name}:${image.tag} (${image.source})\n\n${formatFindings(findings)}`,
    );
    return findingsExitCode(findings);
  });
}

/**
 * `berth verify` before an environment's first deploy: no manifest yet, so the config says what the deploy needs,
 * and the image and the secrets are checked (the deploy waits for healthy tasks, which need both).
 * @param environment pre or live
 * @param settings the config's CLI fields, as the run read them
 * @param values the command line's flags
 * @param env the process environment
 * @param output where the findings go
 */
async function verifyFirstDeploy(
  environment: EnvironmentName,
  settings: Settings,
  values: EnvironmentFlags & { readonly tag?: string },
  env: NodeJS.ProcessEnv,
  output: Output,
) {
  const first = readFirstDeploySettings(settings.configFile, environment);
  const { clients } = await openAws(values, env, environment, settings);
  // the shared stack creates the parameter with initialImageTag, and live's first deploy runs what it holds.
  const image = await nextReleaseImage(clients.get(SSMClient), {
    environment,
    ...(values.tag === undefined ? {} : { tag: values.tag }),
    parameter: () => imageTagParameterName(settings.appName),
    ...(first.initialImageTag
      ? { fallback: { tag: first.initialImageTag, source: 'environments.live.initialImageTag; the shared stack is not deployed yet' } }
      : {}),
  });
  output.progress(`${settings.appName}-${environment} is not deployed yet: checking what its first deploy (${image.tag}) needs…`);
  const findings = await runFirstDeployPreflight(
    clients,
    { app: settings.appName, environment, repositoryName: settings.appName, architecture: first.architecture, secrets: first.secrets },
    image,
  );
  output.result(
    { environment, deployed: false, tag: image.tag, tagSource: image.source, status: worstStatus(findings), findings },
    `berth verify ${environment}: not deployed yet; its first deploy runs ${settings.appName}:${image.tag} (${image.source})\n\n${formatFindings(findings)}`,
  );
  return findingsExitCode(findings);
}

/** `berth verify <env>`. */
export const verify: Command = createVerifyCommand({ now: () => new Date() });
