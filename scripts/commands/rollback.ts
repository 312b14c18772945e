import { findRelease } from '../github/releases';
import { liveImageTagParameter, previousRelease, readImageTagHistory } from '../aws/image-tag';
import { RefusedError } from '../core/errors';
import { checkReleaseTag } from '../cli/release-tag';
import { followSettings, githubOptions, githubRunUrl, openSession } from '../cli/session';
import { rollOutLiveRelease } from '../release/live-release';
import { bindCommand, type Command } from '../cli/command';
import { ROLLBACK } from './definitions';

/** `berth rollback live [--to vX.Y.Z]`: back to the previous release, through the same path as promote. */
export const rollback: Command = bindCommand(ROLLBACK, async ({ values }, context, output) => {
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
      throw new RefusedError(`GitHub marks ${tag} of ${github.repository} as a pre-release; pass --allow-prerelease to release it to live`);
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
    // a rollback records who started it, and no release page: it returns to a release, it releases nothing new.
    { verb: 'rollback', tag, resumeCommand: `berth rollback live --to ${tag}`, provenance, run: githubRunUrl(context.env) },
    values,
    follow,
    context,
    output,
  );
});
