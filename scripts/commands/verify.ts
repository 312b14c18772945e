import type { Manifest } from '../../infra/manifest';
import type { AwsClients } from '../aws/clients';
import { liveImageTagParameter, readImageTag } from '../aws/image-tag';
import { ManifestVersionRefusal } from '../aws/manifest';
import { type Finding, findingsExitCode, formatFindings, worstStatus } from '../checks/findings';
import { type PreflightImage, runPreflight, unreadableManifestSchema } from '../checks/preflight';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { openEnvironment } from '../cli/environment';
import { checkReleaseTag } from '../cli/release-tag';
import { bindCommand, type Command } from '../cli/command';
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

/** `berth verify <env>`. */
export const verify: Command = createVerifyCommand({ now: () => new Date() });
