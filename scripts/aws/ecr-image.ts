import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { RefusedError } from '../core/errors';

/** An image found in ECR under a tag. */
export interface EcrImage {
  /** the tag asked for. */
  readonly tag: string;
  /** the image's digest, `sha256:…`. */
  readonly digest: string;
  /** when it was pushed. */
  readonly pushedAt?: Date;
  /** every tag the image carries. */
  readonly tags: readonly string[];
}

/**
 * Finds the image a tag names, and refuses when there is none, so nothing is deployed that cannot be pulled.
 * @param ecr an ECR client in the stacks' region
 * @param repositoryName the repository (manifest `repository.name`)
 * @param tag the image tag, e.g. `v1.4.0` or `master`
 */
export async function findImage(ecr: ECRClient, repositoryName: string, tag: string): Promise<EcrImage> {
  let detail;
  try {
    const response = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
    detail = response.imageDetails?.[0];
  } catch (err) {
    const name = (err as Error).name;
    if (name === 'ImageNotFoundException') detail = undefined;
    else if (name === 'RepositoryNotFoundException') {
      throw new RefusedError(
        `ECR repository ${repositoryName} does not exist; deploy the shared stack first, or check --config and --region`,
      );
    } else throw err;
  }
  if (!detail?.imageDigest) {
    throw new RefusedError(
      `no image ${repositoryName}:${tag} in ECR; has the build for ${tag} pushed it? (aws ecr describe-images --repository-name ${repositoryName})`,
    );
  }
  return {
    tag,
    digest: detail.imageDigest,
    ...(detail.imagePushedAt ? { pushedAt: detail.imagePushedAt } : {}),
    tags: detail.imageTags ?? [],
  };
}

/**
 * Looks up the digests of many tags at once; tags without an image are left out.
 * @param ecr an ECR client in the stacks' region
 * @param repositoryName the repository (manifest `repository.name`)
 * @param tags image tags
 */
export async function findDigests(ecr: ECRClient, repositoryName: string, tags: readonly string[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  const unique = [...new Set(tags)];
  // one call per tag: with several image ids, one expired image would fail the whole DescribeImages call.
  for (let i = 0; i < unique.length; i += 5) {
    await Promise.all(
      unique.slice(i, i + 5).map(async (tag) => {
        try {
          const response = await ecr.send(new DescribeImagesCommand({ repositoryName, imageIds: [{ imageTag: tag }] }));
          const digest = response.imageDetails?.[0]?.imageDigest;
          if (digest) digests.set(tag, digest);
        } catch (err) {
          if ((err as Error).name !== 'ImageNotFoundException') throw err;
        }
      }),
    );
  }
  return digests;
}

/**
 * The tag part of an image reference (`repo:v1.4.0` -> `v1.4.0`), or undefined for a digest reference.
 * @param image an image reference
 */
export function imageTagOf(image: string | undefined): string | undefined {
  if (!image || image.includes('@')) return undefined;
  const last = image.split('/').pop() ?? '';
  return last.includes(':') ? last.slice(last.indexOf(':') + 1) : 'latest';
}

/**
 * The digest of a digest reference (`repo@sha256:…` -> `sha256:…`), or undefined for a tag reference.
 * @param image an image reference
 */
export function imageDigestOf(image: string | undefined): string | undefined {
  return image?.includes('@') ? image.slice(image.indexOf('@') + 1) : undefined;
}
