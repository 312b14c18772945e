import type { ImageTagVersion } from '../aws/image-tag';

/** One task-definition revision of an environment's family, as `history` reads it. */
export interface RevisionRecord {
  /** its ARN. */
  readonly taskDefinition: string;
  /** its revision number. */
  readonly revision: number;
  /** the application container's image. */
  readonly image?: string;
  /** when it was registered. */
  readonly registeredAt?: Date;
  /** who registered it. */
  readonly registeredBy?: string;
  /** for a copy berth registered to restore the revision that runs after a failed release: the revision it copies (`family:revision`). */
  readonly restores?: string;
}

/**
 * For each version of live's image-tag parameter, the revision that ran it.
 *
 * A version is recorded after its revision: berth registers a revision, deploys it, and only then writes the
 * tag, so the revision of a release is the newest one with its image registered between the version before
 * and this one. The first version is the exception: the shared stack writes it before the live stack exists,
 * so its revision is the oldest one with its image registered after it (and before the next version). Copies
 * that restore a revision after a failed release are not releases and never match. Matching by time alone
 * would give a rolled-back-to release the revision of the rollback, registered later with the same image.
 * @param versions the parameter's versions, oldest first
 * @param revisions the family's revisions, any order
 * @param runs whether a revision runs a version's release (its tag, or its digest)
 * @returns the revision of each version, by version number; undefined when none of those read matches
 */
export function revisionsOfVersions(
  versions: readonly ImageTagVersion[],
  revisions: readonly RevisionRecord[],
  runs: (revision: RevisionRecord, version: ImageTagVersion) => boolean,
): Map<number, RevisionRecord | undefined> {
  const byTime = [...revisions].filter((r) => r.restores === undefined).sort((a, b) => a.revision - b.revision);
  const result = new Map<number, RevisionRecord | undefined>();
  versions.forEach((version, i) => {
    const candidates = byTime.filter((r) => runs(r, version));
    const at = version.at?.getTime();
    if (at === undefined) {
      result.set(version.version, candidates.at(-1));
      return;
    }
    const previous = versions[i - 1]?.at?.getTime() ?? -Infinity;
    const next = versions[i + 1]?.at?.getTime() ?? Infinity;
    const registered = (r: RevisionRecord) => r.registeredAt?.getTime();
    const before = candidates.filter((r) => (registered(r) ?? -Infinity) <= at && (registered(r) ?? -Infinity) > previous).at(-1);
    const after = candidates.find((r) => (registered(r) ?? Infinity) > at && (registered(r) ?? Infinity) < next);
    result.set(version.version, before ?? after);
  });
  return result;
}
