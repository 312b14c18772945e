import { findRelease } from '../github/releases';
import { liveImageTagParameter, previousRelease, readImageTagHistory } from '../aws/image-tag';
import { COMMON_OPTIONS_HELP, parseCommandLine, parseEnvironment } from '../cli/args';
import { RefusedError, UsageError } from '../core/errors';
import type { Output } from '../cli/output';
import { checkReleaseTag } from '../cli/release-tag';
import { followSettings, githubOptions, openSession } from '../cli/session';
import { rollOutLiveRelease } from '../release/live-release';
import type { Command, CommandContext } from '../cli/command';

const OPTIONS = {
  to: { type: 'string' },
  'allow-prerelease': { type: 'boolean' },
} as const;

/** `berth rollback live [--to vX.Y.Z]`: back to the previous release, through the same path as promote. */
export const rollback: Command = {
  name: 'rollback',
  summary: 'put live back on the previous release (or --to vX.Y.Z), blue/green',
  usage: `Usage: berth rollback live [--to vX.Y.Z] [options]

Puts live back on the release before the current one, read from the version history of
/berth/<app>/live/image-tag, or on the release named with --to. It runs exactly the checks and steps of
berth promote (release, image, no deployment in progress; new revision, update, follow, record), and records
the older tag as a new parameter version, so the history stays append-only. A release that ran on live before
is not traced to its commit again (its tag is immutable); one named with --to that never ran is, like promote.

Options:
  --to <vX.Y.Z>         the release to go back to (default: the previous one in the history)
  --allow-prerelease    accept a pre-release tag with --to
${COMMON_OPTIONS_HELP}`,

  async run(context: CommandContext, output: Output) {
    const { values, positionals } = parseCommandLine(context.argv, OPTIONS);
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"; usage: berth rollback live [--to vX.Y.Z]`);
    parseEnvironment(positionals[0], ['live'] as const, 'pre follows the delivery branch: berth deploy pre');
    if (values.to !== undefined) checkReleaseTag(values.to, Boolean(values['allow-prerelease']));
    const follow = followSettings(values, context.env);

    const session = await openSession(values, context.env, 'live');
    const parameter = liveImageTagParameter(session.manifest);
    const history = await readImageTagHistory(session.ssm, parameter);
    let tag: string;
    if (values.to !== undefined) {
      tag = values.to;
    } else {
      const previous = previousRelease(history);
      if (!previous) {
        throw new RefusedError(`${parameter} has no release before ${history.at(-1)?.tag ?? 'the current one'}; name one with --to vX.Y.Z`);
      }
      tag = previous.tag;
      output.line(
        `current release ${history.at(-1)?.tag}; previous release ${tag} (version ${previous.version}${previous.at ? `, ${previous.at.toISOString()}` : ''})`,
      );
    }
    const github = githubOptions(session.settings, context.env);
    if (github) {
      const release = await findRelease(github, tag);
      // a release from the history was live before; only a named one must pass the pre-release rule again.
      if (values.to !== undefined && release.prerelease && !values['allow-prerelease']) {
        throw new RefusedError(
          `GitHub marks ${tag} of ${github.repository} as a pre-release; pass --allow-prerelease to release it to live`,
        );
      }
      output.line(`GitHub release ${tag} of ${github.repository}: published`);
    }
    // a release that ran on live before is the very image that ran (release tags are immutable in ECR and no
    // role berth creates deletes images); a tag live never ran must come from its commit like any promotion.
    const ran = [...history].reverse().find((v) => v.tag === tag);
    const provenance = ran
      ? { notChecked: `${tag} ran on live before (version ${ran.version} of ${parameter}); release tags are immutable in ECR` }
      : github
        ? { github }
        : { notChecked: `no github.repository in ${session.settings.configFile}` };
    return rollOutLiveRelease(
      session,
      { verb: 'rollback', tag, resumeCommand: `berth rollback live --to ${tag}`, provenance },
      values,
      follow,
      context,
      output,
    );
  },
};
