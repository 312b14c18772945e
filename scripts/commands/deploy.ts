import { findImage } from '../aws/ecr-image';
import { followSettings, githubRunUrl, openSession } from '../cli/session';
import { gateOptions } from '../release/live-release';
import { rollOut } from '../release/roll-out';
import { bindCommand, type Command } from '../cli/command';
import { DEPLOY, PRE_IMAGE_TAG } from './definitions';

/** `berth deploy pre`: roll pre onto the current `master` image, pinned to its digest. */
export const deploy: Command = bindCommand(DEPLOY, async ({ values }, context, output) => {
  const follow = followSettings(values, context.env);

  const session = await openSession(values, context.env, 'pre');
  const image = await findImage(session.ecr, session.manifest.repository.name, PRE_IMAGE_TAG);
  output.line(
    `ECR image ${session.manifest.repository.name}:${PRE_IMAGE_TAG}: ${image.digest}${image.pushedAt ? `, pushed ${image.pushedAt.toISOString()}` : ''}`,
  );

  return rollOut(
    session,
    {
      verb: 'deploy',
      tag: PRE_IMAGE_TAG,
      image,
      imageReference: `${session.manifest.repository.uri}@${image.digest}`,
      resumeCommand: 'berth deploy pre',
      // in the GitHub action: the assumed role's ARN and the run; pre's revisions record no release page.
      run: githubRunUrl(context.env),
    },
    { dryRun: Boolean(values['dry-run']), signal: context.signal, ...follow, gate: gateOptions(values, context) },
    output,
  );
});
