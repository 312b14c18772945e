import { type EcrImage, findImage } from '../aws/ecr-image';
import type { GithubOptions } from '../github/releases';
import { ask, confirm } from '../cli/confirm';
import type { ExitCode } from '../core/errors';
import type { Output } from '../cli/output';
import type { Session } from '../cli/session';
import type { CommandContext } from '../cli/command';
import { checkProvenance, commitImageTag, type Provenance } from './provenance';
import { rollOut, type RollOutOptions } from './roll-out';

/** A release tag bound for live, as `promote` or `rollback` resolved and checked it. */
export interface LiveRelease {
  /** the command, for messages. */
  readonly verb: 'promote' | 'rollback';
  /** the release tag, such as `v1.4.0`. */
  readonly tag: string;
  /** the command line that resumes this roll-out (follows it and records the tag). */
  readonly resumeCommand: string;
  /**
   * how to establish where the image comes from: trace it to the commit of its GitHub tag, or say why not
   * (no `github.repository` in the config; a rollback to a release that ran on live before).
   */
  readonly provenance: { readonly github: GithubOptions } | { readonly notChecked: string };
  /** the GitHub release page `promote` found, recorded on the new revision. @default - none (`rollback`) */
  readonly releaseUrl?: string;
  /** the GitHub Actions run berth runs in. @default - not in a workflow */
  readonly run?: string;
  /**
   * checks of the image found in ECR, run before the first write of a new revision; throws to refuse, else returns
   * their report for the `--json` document (`promote` runs berth verify's pre-flight with it). @default - none (`rollback`)
   */
  readonly preflight?: (image: EcrImage) => Promise<unknown>;
}

/** The flags of a live release command that shape the roll-out. */
export interface LiveReleaseFlags {
  /** `--dry-run`: print the plan and the diff, change nothing. */
  readonly 'dry-run'?: boolean;
  /** `--yes`: go ahead without asking. */
  readonly yes?: boolean;
}

/**
 * Finds the release's image in ECR, prints it, and rolls it out to live by its tag; `promote` and `rollback`
 * share this step so both run the same checks and ask the same question.
 * @param session clients and manifest of live
 * @param release the tag and how to resume
 * @param flags `--dry-run` and `--yes`
 * @param follow follow settings, read before the session opened so a bad `--timeout` fails first
 * @param context the command's context (confirmation, abort signal)
 * @param output where to write
 */
export async function rollOutLiveRelease(
  session: Session,
  release: LiveRelease,
  flags: LiveReleaseFlags,
  follow: Pick<RollOutOptions, 'timeoutSeconds' | 'intervalMs'>,
  context: CommandContext,
  output: Output,
): Promise<ExitCode> {
  const { tag } = release;
  const repository = session.manifest.repository.name;
  const image = await findImage(session.ecr, repository, tag);
  output.line(`ECR image ${repository}:${tag}: ${image.digest}${image.pushedAt ? `, pushed ${image.pushedAt.toISOString()}` : ''}`);
  let provenance: Provenance;
  if ('github' in release.provenance) {
    provenance = await checkProvenance(session.ecr, repository, release.provenance.github, image);
    output.line(
      `provenance: ${tag} is the image built from commit ${provenance.commit} (${repository}:${commitImageTag(provenance.commit ?? '')})`,
    );
  } else {
    provenance = { checked: false, reason: release.provenance.notChecked };
    output.line(`provenance not checked: ${release.provenance.notChecked}`);
  }

  return rollOut(
    session,
    {
      verb: release.verb,
      tag,
      image,
      imageReference: `${session.manifest.repository.uri}:${tag}`,
      resumeCommand: release.resumeCommand,
      provenance,
      releaseUrl: release.releaseUrl,
      run: release.run,
    },
    {
      dryRun: Boolean(flags['dry-run']),
      ...(flags.yes ? {} : { confirm: (question: string) => confirm(context, question) }),
      signal: context.signal,
      ...follow,
      gate: gateOptions(flags, context),
      ...(release.preflight ? { preflight: () => release.preflight!(image) } : {}),
    },
    output,
  );
}

/**
 * How a release command's smoke-test gate asks: `--yes` answers yes once the checks passed; otherwise the
 * question, which refuses without a terminal.
 * @param flags `--yes`
 * @param context the command's context (stdin, abort signal, the smoke checks' connection)
 */
export function gateOptions(flags: Pick<LiveReleaseFlags, 'yes'>, context: CommandContext): NonNullable<RollOutOptions['gate']> {
  return {
    ...(flags.yes ? {} : { approve: (question: string) => ask(context, question) }),
    ...(context.smokeConnection ? { smokeConnection: context.smokeConnection } : {}),
  };
}
