import { findRelease, latestRelease } from '../github/releases';
import { RefusedError, UsageError } from '../core/errors';
import { checkReleaseTag } from '../cli/release-tag';
import { followSettings, githubOptions, githubRunUrl, openSession } from '../cli/session';
import { readSettings } from '../cli/settings';
import { rollOutLiveRelease } from '../release/live-release';
import { preflightRefusal, runPreflight } from '../checks/preflight';
import { worstStatus } from '../checks/findings';
import { bindCommand, type Command } from '../cli/command';
import { PROMOTE } from './definitions';

/** `berth promote live --tag vX.Y.Z | --latest`: release a GitHub release to live, blue/green. */
export const promote: Command = bindCommand(PROMOTE, async ({ values }, context, output) => {
  if (values.tag !== undefined && values.latest) throw new UsageError('give either --tag or --latest, not both');
  if (values.tag === undefined && !values.latest) throw new UsageError('missing --tag vX.Y.Z (or --latest); see berth promote --help');
  const allowPrerelease = Boolean(values['allow-prerelease']);
  if (values.tag !== undefined) checkReleaseTag(values.tag, allowPrerelease);
  const follow = followSettings(values, context.env);
  const settings = readSettings(values.config, context.env);
  const github = githubOptions(settings, context.env);
  if (values.latest && !github)
    throw new UsageError(`--latest needs github.repository in ${settings.configFile}; pass --tag vX.Y.Z instead`);

  const run = githubRunUrl(context.env);
  const session = await openSession(values, context.env, 'live', settings);
  let tag: string;
  // the release's page, recorded on the revision for the release notifications.
  let releaseUrl: string | undefined;
  if (values.latest && github) {
    const latest = await latestRelease(github, allowPrerelease);
    tag = checkReleaseTag(latest.tag, allowPrerelease);
    releaseUrl = latest.url;
    output.line(`latest GitHub release of ${github.repository}: ${tag}${latest.publishedAt ? ` (published ${latest.publishedAt})` : ''}`);
  } else {
    tag = values.tag ?? '';
    if (github) {
      const release = await findRelease(github, tag);
      releaseUrl = release.url;
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
      releaseUrl,
      run,
      // berth verify's checks for the tag promoted; the image's existence promote checked already, so it is read by digest.
      preflight: async (image) => {
        const findings = await runPreflight(session.clients, session.manifest, {
          image: { tag, source: 'promoted', digest: image.digest },
          now: new Date(),
          rerun: 'promote',
        });
        const notOk = findings.filter((f) => f.status === 'warn' || f.status === 'fail');
        output.line(`pre-flight (berth verify): ${findings.length - notOk.length} of ${findings.length} checks ok`);
        for (const f of notOk)
          output.line(`  ${f.status === 'fail' ? 'FAIL' : 'WARN'} ${f.link}: ${f.summary}${f.fix ? `; fix: ${f.fix}` : ''}`);
        const refusal = preflightRefusal(findings, `berth verify live --tag ${tag}`);
        if (refusal) throw new RefusedError(refusal);
        return { status: worstStatus(findings), findings };
      },
    },
    values,
    follow,
    context,
    output,
  );
});
