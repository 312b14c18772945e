import { findDigests, imageDigestOf, imageTagOf } from '../aws/ecr-image';
import { readImageTagHistory } from '../aws/image-tag';
import { imageOf, listRevisions, readTaskDefinition, RESTORE_TAGS, revisionOf } from '../aws/task-definition';
import { shortTaskDefinition } from '../cli/format';
import { UsageError } from '../core/errors';
import { table } from '../cli/output';
import { openSession } from '../cli/session';
import { bindCommand, type Command } from '../cli/command';
import { type RevisionRecord, revisionsOfVersions } from '../release/history';
import { HISTORY } from './definitions';

/** One release, as `history` prints it. */
interface ReleaseRow {
  readonly at?: Date;
  readonly tag?: string;
  readonly digest?: string;
  readonly taskDefinition?: string;
  readonly who?: string;
  readonly version?: number;
}

/** Runs at most `width` promises at a time, so a long history does not trip the API rate limit. */
async function inBatches<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width) results.push(...(await Promise.all(items.slice(i, i + width).map(run))));
  return results;
}

function shortDigest(digest: string | undefined): string {
  return digest ? digest.slice(0, 19) : '-';
}

/** `berth history <env>`: the releases of an environment, newest first. */
export const history: Command = bindCommand(HISTORY, async ({ environment, values }, context, output) => {
  const limit = values.limit === undefined ? 20 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500)
    throw new UsageError(`--limit "${values.limit}" is not valid; allowed: a whole number from 1 to 500`);
  const session = await openSession(values, context.env, environment);
  const { manifest, ecs } = session;

  // live's releases are parameter versions; their revisions may be a few more than that, so read some extra.
  const arns = await listRevisions(ecs, manifest.taskDefinitionFamily, environment === 'live' ? limit * 2 : limit);
  const revisions: RevisionRecord[] = await inBatches(arns, 5, async (arn) => {
    const { taskDefinition, tags } = await readTaskDefinition(ecs, arn);
    const image = imageOf(taskDefinition, manifest.containerName);
    const restores = tags.find((t) => t.key === RESTORE_TAGS.restores)?.value;
    return {
      taskDefinition: arn,
      revision: revisionOf(arn),
      ...(image ? { image } : {}),
      ...(taskDefinition.registeredAt ? { registeredAt: taskDefinition.registeredAt } : {}),
      ...(taskDefinition.registeredBy ? { registeredBy: taskDefinition.registeredBy } : {}),
      ...(restores ? { restores } : {}),
    };
  });

  let releases: ReleaseRow[];
  if (manifest.imageTagParameter) {
    const all = await readImageTagHistory(session.ssm, manifest.imageTagParameter);
    const versions = [...all].reverse().slice(0, limit);
    const digests = await findDigests(
      session.ecr,
      manifest.repository.name,
      versions.map((v) => v.tag),
    );
    const ran = revisionsOfVersions(all, revisions, (r, v) => {
      const digest = digests.get(v.tag);
      return (
        r.image === `${manifest.repository.uri}:${v.tag}` || (digest !== undefined && r.image === `${manifest.repository.uri}@${digest}`)
      );
    });
    releases = versions.map((v) => {
      const digest = digests.get(v.tag);
      const revision = ran.get(v.version);
      return {
        version: v.version,
        ...(v.at ? { at: v.at } : {}),
        tag: v.tag,
        ...(digest ? { digest } : {}),
        ...(revision ? { taskDefinition: revision.taskDefinition } : {}),
        ...(v.who ? { who: v.who } : {}),
      };
    });
  } else {
    // a copy that restores the running revision after a failed deploy is not a release.
    releases = revisions
      .filter((r) => r.restores === undefined)
      .map((r) => ({
        ...(r.registeredAt ? { at: r.registeredAt } : {}),
        ...(imageTagOf(r.image) ? { tag: imageTagOf(r.image) } : {}),
        ...(imageDigestOf(r.image) ? { digest: imageDigestOf(r.image) } : {}),
        taskDefinition: r.taskDefinition,
        ...(r.registeredBy ? { who: r.registeredBy } : {}),
      }));
  }

  const sections = [
    releases.length === 0
      ? `no releases of ${environment} yet`
      : table(
          ['time', 'tag', 'digest', 'revision', 'who'],
          releases.map((r) => [
            r.at?.toISOString() ?? '-',
            r.tag ?? '-',
            shortDigest(r.digest),
            r.taskDefinition ? shortTaskDefinition(r.taskDefinition) : '-',
            r.who ?? '-',
          ]),
        ),
  ];
  // revisions also show what reached live without berth (a cdk deploy that changed the task definition), and
  // the copies berth registered to restore the running revision after a failed release.
  if ((manifest.imageTagParameter && revisions.length > 0) || revisions.some((r) => r.restores !== undefined)) {
    sections.push(
      `task-definition revisions of ${manifest.taskDefinitionFamily}:\n${table(
        ['registered', 'revision', 'image', 'registered by', 'note'],
        revisions
          .slice(0, limit)
          .map((r) => [
            r.registeredAt?.toISOString() ?? '-',
            shortTaskDefinition(r.taskDefinition),
            r.image ?? '-',
            r.registeredBy ?? '-',
            r.restores ? `restores ${shortTaskDefinition(r.restores)}, not a release` : '',
          ]),
      )}`,
    );
  }
  output.result(
    { environment, source: manifest.imageTagParameter ?? `task-definition family ${manifest.taskDefinitionFamily}`, releases, revisions },
    sections.join('\n\n'),
  );
  return 0;
});
