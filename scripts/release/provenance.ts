import type { ECRClient } from '@aws-sdk/client-ecr';
import { findDigests, type EcrImage } from '../aws/ecr-image';
import { tagCommit, type GithubOptions } from '../github/releases';
import { RefusedError } from '../core/errors';

/** The tag the workflows push for the image they built from one commit. */
export function commitImageTag(commit: string): string {
  return `sha-${commit}`;
}

/** What berth found out about where a release image comes from. */
export interface Provenance {
  /** whether the image was traced to its commit. */
  readonly checked: boolean;
  /** the commit the release's tag points at, when checked. */
  readonly commit?: string;
  /** why it was not checked. */
  readonly reason?: string;
}

/**
 * Checks that a release image is the image built from the commit its GitHub tag points at: its digest must be
 * that of `sha-<commit>`, which the delivery workflows push for every commit they build and which ECR keeps
 * immutable. The build role may push any tag (ECR's IAM cannot condition a push on the image tag), so a branch
 * build could push `v1.5.0` before the release workflow; this is what refuses such an image.
 * @param ecr an ECR client in the stacks' region
 * @param repositoryName the repository (manifest `repository.name`)
 * @param github where to ask GitHub for the tag's commit
 * @param image the release image, as found under its tag
 * @returns the commit, when the image is the one built from it
 */
export async function checkProvenance(ecr: ECRClient, repositoryName: string, github: GithubOptions, image: EcrImage): Promise<Provenance> {
  const commit = await tagCommit(github, image.tag);
  const built = commitImageTag(commit);
  const digest = (await findDigests(ecr, repositoryName, [built])).get(built);
  const short = commit.slice(0, 12);
  if (!digest) {
    throw new RefusedError(
      `${image.tag} points at commit ${short} of ${github.repository}, but ECR has no image ${repositoryName}:${built}, so ${repositoryName}:${image.tag} cannot be traced to that commit; publish a new release from a commit the delivery workflow built`,
    );
  }
  if (digest !== image.digest) {
    throw new RefusedError(
      `${repositoryName}:${image.tag} (${image.digest}) is not the image built from ${image.tag}'s commit ${short} (${built} is ${digest}); it was pushed by something other than the release workflow: do not promote it, publish a new release`,
    );
  }
  return { checked: true, commit };
}
