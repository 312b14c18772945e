import { RELEASE_TAG_PATTERN } from '../../infra/manifest';
import { UsageError } from '../core/errors';

const RELEASE_TAG = new RegExp(RELEASE_TAG_PATTERN);

/**
 * Checks a release tag: `vMAJOR.MINOR.PATCH`, with a pre-release suffix (`v1.2.0-rc.1`) only when allowed.
 * @param tag the tag the operator typed (or GitHub named)
 * @param allowPrerelease whether `--allow-prerelease` was given
 * @returns the tag
 */
export function checkReleaseTag(tag: string, allowPrerelease: boolean): string {
  const match = RELEASE_TAG.exec(tag);
  if (!match) {
    throw new UsageError(`"${tag}" is not a release tag; allowed: vMAJOR.MINOR.PATCH such as v1.4.0 (v1.4.0-rc.1 with --allow-prerelease)`);
  }
  if (match[4] !== undefined && !allowPrerelease) {
    throw new UsageError(`${tag} is a pre-release; pass --allow-prerelease to release it to live`);
  }
  return tag;
}
