import type { Manifest } from '../../infra/manifest';
import type { AwsClients } from '../aws/clients';
import { liveImageTagParameter, readImageTag } from '../aws/image-tag';
import { ManifestMissingRefusal, ManifestVersionRefusal } from '../aws/manifest';
import { type Finding, findingsExitCode, formatFindings, worstStatus } from '../checks/findings';
import { type PreflightImage, runFirstDeployPreflight, runPreflight, unreadableManifestSchema } from '../checks/preflight';
import { SSMClient } from '@aws-sdk/client-ssm';
import { type EnvironmentFlags, openEnvironment } from '../cli/environment';
import type { Output } from '../cli/output';
import { openAws } from '../cli/session';
import { readFirstDeploySettings, readSettings } from '../cli/settings';
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
 * The image the next release of an environment runs when `--tag` is not given: for live, the tag the image-tag
 * parameter holds (what a redeploy, a rollback's baseline or a replaced task runs); for pre, its branch tag.
 * @param ssm an SSM client
 * @param manifest the environment's manifest
 * @param tag `--tag`, when given
 */
export async function nextReleaseImage(ssm: SSMClient, manifest: Manifest, tag: string | undefined): Promise<PreflightImage> {
  if (tag !== undefined) return { tag: manifest.environment === 'live' ? checkReleaseTag(tag, true) : tag, source: '--tag' };
  if (manifest.environment !== 'live') return { tag: PRE_IMAGE_TAG, source: `pre's ${PRE_IMAGE_TAG}` };
  const parameter = liveImageTagParameter(manifest);
  const recorded = await readImageTag(ssm, parameter);
  if (recorded) return { tag: recorded.tag, source: `recorded in ${parameter}` };
  return { tag: manifest.defaultImageTag, source: "the manifest's default: no tag recorded yet" };
}

/**
 * Builds `berth verify` with its clock.
 * @param dependencies the clock
 */
export function createVerifyCommand(dependencies: VerifyDependencies): Command {
  return bindCommand(VERIFY, async (args, context, output) => {
    const environment = args.environment;
    let opened: { manifest: Manifest; ssm: SSMClient; clients: AwsClients };
    try {
      opened = await openEnvironment(environment, args.values, context.env);
    } catch (err) {
      if (err instanceof ManifestMissingRefusal) return verifyFirstDeploy(environment, args.values, context.env, output);
      // a manifest of another schema version is a failing check of its own; nothing after it can be read.
      if (!(err instanceof ManifestVersionRefusal)) throw err;
      const findings: Finding[] = [unreadableManifestSchema(err.message)];
      output.result({ environment, status: worstStatus(findings), findings }, `berth verify ${environment}\n\n${formatFindings(findings)}`);
      return findingsExitCode(findings);
    }
    const { manifest, ssm, clients } = opened;
    const image = await nextReleaseImage(ssm, manifest, args.values.tag);
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
 * @param values the command line's flags
 * @param env the process environment
 * @param output where the findings go
 */
async function verifyFirstDeploy(
  environment: EnvironmentName,
  values: EnvironmentFlags & { readonly tag?: string },
  env: NodeJS.ProcessEnv,
  output: Output,
) {
  const settings = readSettings(values.config, env);
  const first = readFirstDeploySettings(settings.configFile, environment);
  const { clients } = await openAws(values, env, environment, settings);
  let image: PreflightImage;
  if (values.tag !== undefined) image = { tag: environment === 'live' ? checkReleaseTag(values.tag, true) : values.tag, source: '--tag' };
  else if (environment !== 'live') image = { tag: PRE_IMAGE_TAG, source: `pre's ${PRE_IMAGE_TAG}` };
  else {
    // the shared stack creates the parameter with initialImageTag, and live's first deploy runs what it holds.
    const parameter = imageTagParameterName(settings.appName);
    const recorded = await readImageTag(clients.get(SSMClient), parameter);
    if (recorded) image = { tag: recorded.tag, source: `recorded in ${parameter}` };
    else if (first.initialImageTag)
      image = { tag: first.initialImageTag, source: 'environments.live.initialImageTag; the shared stack is not deployed yet' };
    else throw new UsageError('environments.live.initialImageTag is not set; name the image with --tag');
  }
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
