import { findRelease, latestRelease } from '../github/releases';
import { COMMON_OPTIONS_HELP, parseCommandLine, parseEnvironment } from '../cli/args';
import { RefusedError, UsageError } from '../core/errors';
import type { Output } from '../cli/output';
import { checkReleaseTag } from '../cli/release-tag';
import { followSettings, githubOptions, openSession } from '../cli/session';
import { readSettings } from '../cli/settings';
import { rollOutLiveRelease } from '../release/live-release';
import type { Command, CommandContext } from '../cli/command';

const OPTIONS = {
  tag: { type: 'string' },
  latest: { type: 'boolean' },
  'allow-prerelease': { type: 'boolean' },
} as const;

/** `berth promote live --tag vX.Y.Z | --latest`: release a GitHub release to live, blue/green. */
export const promote: Command = {
  name: 'promote',
  summary: 'release a GitHub release (vX.Y.Z) to live, blue/green, and record it',
  usage: `Usage: berth promote live (--tag vX.Y.Z | --latest) [options]

Releases an image tag to live. Before changing anything it checks that the tag is a release tag, that the
GitHub release exists and is published, that the image is in ECR, that it is the image built from the
commit the GitHub tag points at (its digest is that of sha-<commit>; both GitHub checks need github.repository
in the config), and that no deployment of the service is in progress. Then it registers a task-definition
revision that differs from the running one only in the image, updates the service, follows the blue/green
deployment to the end, and only then records the tag in /berth/<app>/live/image-tag.

Running it again for the same tag resumes: it follows a deployment already on its way to that image, or
records the tag of a deployment that finished while nobody watched.

Options:
  --tag <vX.Y.Z>        the release to promote
  --latest              the newest published GitHub release (needs github.repository in the config)
  --allow-prerelease    accept a pre-release tag such as v1.4.0-rc.1
${COMMON_OPTIONS_HELP}

Environment: GITHUB_TOKEN (token for the release check), GITHUB_API_URL (default https://api.github.com).`,

  async run(context: CommandContext, output: Output) {
    const { values, positionals } = parseCommandLine(context.argv, OPTIONS);
    if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"; usage: berth promote live --tag vX.Y.Z`);
    parseEnvironment(positionals[0], ['live'] as const, 'pre follows the delivery branch: berth deploy pre');
    if (values.tag !== undefined && values.latest) throw new UsageError('give either --tag or --latest, not both');
    if (values.tag === undefined && !values.latest) throw new UsageError('missing --tag vX.Y.Z (or --latest); see berth promote --help');
    const allowPrerelease = Boolean(values['allow-prerelease']);
    if (values.tag !== undefined) checkReleaseTag(values.tag, allowPrerelease);
    const follow = followSettings(values, context.env);
    const settings = readSettings(values.config, context.env);
    const github = githubOptions(settings, context.env);
    if (values.latest && !github)
      throw new UsageError(`--latest needs github.repository in ${settings.configFile}; pass --tag vX.Y.Z instead`);

    const session = await openSession(values, context.env, 'live', settings);
    let tag: string;
    if (values.latest && github) {
      const latest = await latestRelease(github, allowPrerelease);
      tag = checkReleaseTag(latest.tag, allowPrerelease);
      output.line(`latest GitHub release of ${github.repository}: ${tag}${latest.publishedAt ? ` (published ${latest.publishedAt})` : ''}`);
    } else {
      tag = values.tag ?? '';
      if (github) {
        const release = await findRelease(github, tag);
        if (release.prerelease && !allowPrerelease) {
          throw new RefusedError(
            `GitHub marks ${tag} of ${github.repository} as a pre-release; pass --allow-prerelease to release it to live`,
          );
        }
        output.line(`GitHub release ${tag} of ${github.repository}: published${release.publishedAt ? ` ${release.publishedAt}` : ''}`);
      } else {
        output.line('GitHub release check skipped: no github.repository in the config');
      }
    }
    return rollOutLiveRelease(
      session,
      {
        verb: 'promote',
        tag,
        resumeCommand: `berth promote live --tag ${tag}`,
        // --allow-prerelease relaxes which tags count as releases, never where their image comes from.
        provenance: github ? { github } : { notChecked: `no github.repository in ${settings.configFile}` },
      },
      values,
      follow,
      context,
      output,
    );
  },
};
