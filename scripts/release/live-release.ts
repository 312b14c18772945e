import { findImage } from '../aws/ecr-image';
import { confirm } from '../cli/confirm';
import type { ExitCode } from '../cli/errors';
import type { Output } from '../cli/output';
import type { Session } from '../cli/session';
import type { CommandContext } from '../commands/command';
import { rollOut, type RollOutOptions } from './roll-out';

/** A release tag bound for live, as `promote` or `rollback` resolved and checked it. */
export interface LiveRelease {
  /** the command, for messages. */
  readonly verb: 'promote' | 'rollback';
  /** the release tag, such as `v1.4.0`. */
  readonly tag: string;
  /** the command line that resumes this roll-out (follows it and records the tag). */
  readonly resumeCommand: string;
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
  const image = await findImage(session.ecr, session.manifest.repository.name, tag);
  output.line(
    `ECR image ${session.manifest.repository.name}:${tag}: ${image.digest}${image.pushedAt ? `, pushed ${image.pushedAt.toISOString()}` : ''}`,
  );

  return rollOut(
    session,
    { verb: release.verb, tag, image, imageReference: `${session.manifest.repository.uri}:${tag}`, resumeCommand: release.resumeCommand },
    {
      dryRun: Boolean(flags['dry-run']),
      ...(flags.yes ? {} : { confirm: (question: string) => confirm(context, question) }),
      signal: context.signal,
      ...follow,
    },
    output,
  );
}
