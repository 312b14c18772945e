import { findImage } from '../aws/ecr-image';
import { COMMON_OPTIONS_HELP, parseCommandLine, parseEnvironment } from '../cli/args';
import { UsageError } from '../core/errors';
import type { Output } from '../cli/output';
import { followSettings, openSession } from '../cli/session';
import { rollOut } from '../release/roll-out';
import type { Command, CommandContext } from '../cli/command';

/** The tag every merge to `master` pushes, and pre runs. */
export const PRE_IMAGE_TAG = 'master';

/** `berth deploy pre`: roll pre onto the current `master` image, pinned to its digest. */
export const deploy: Command = {
  name: 'deploy',
  summary: 'roll pre onto the current master image, pinned to its digest',
  usage: `Usage: berth deploy pre [options]

Rolls pre onto the image tagged ${PRE_IMAGE_TAG} in ECR now. The new task-definition revision names the image
by digest (repo@sha256:…), so the revision says exactly what ran even after ${PRE_IMAGE_TAG} moves on. Refuses
while a deployment of the service is in progress; then registers the revision, updates the service and
follows the deployment to the end. It does not ask for confirmation.

Options:
${COMMON_OPTIONS_HELP}`,

  async run(context: CommandContext, output: Output) {
    const { values, positionals } = parseCommandLine(context.argv, {});
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"; usage: berth deploy pre`);
    parseEnvironment(positionals[0], ['pre'] as const, 'live runs releases: berth promote live --tag vX.Y.Z');
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
      },
      { dryRun: Boolean(values['dry-run']), signal: context.signal, ...follow },
      output,
    );
  },
};
