import { BatchGetImageCommand, DescribeImagesCommand, type ECRClient, type ImageIdentifier } from '@aws-sdk/client-ecr';
import { RefusedError } from '../core/errors';
import { withPermission } from './permission';

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

/**
 * The manifest media types berth accepts from BatchGetImage: the multi-platform ones first, so ECR returns an
 * index or manifest list as it is instead of converting it. The API reference lists only the three image
 * manifest types as valid, but ECR serves and accepts the two list types too (ECR user guide, "Container image
 * manifest format support"; awslabs/amazon-ecr-containerd-resolver #13 asks for them the same way).
 */
export const ACCEPTED_MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
] as const;

/** An image's manifest as ECR serves it to a pull. */
export interface ImageManifest {
  /** the manifest's media type. */
  readonly mediaType: string;
  /** the manifest document. */
  readonly manifest: string;
}

/**
 * Reads an image's manifest, the document a pull starts from; undefined when the tag or digest has no image.
 * @param ecr an ECR client in the stacks' region
 * @param repositoryName the repository (manifest `repository.name`)
 * @param imageId the tag or the digest
 */
export async function readImageManifest(
  ecr: ECRClient,
  repositoryName: string,
  imageId: ImageIdentifier,
): Promise<ImageManifest | undefined> {
  const response = await withPermission('ecr:BatchGetImage', () =>
    ecr.send(new BatchGetImageCommand({ repositoryName, imageIds: [imageId], acceptedMediaTypes: [...ACCEPTED_MANIFEST_TYPES] })),
  );
  const image = response.images?.[0];
  if (!image?.imageManifest) return undefined;
  const parsed = JSON.parse(image.imageManifest) as { mediaType?: string };
  return { mediaType: image.imageManifestMediaType ?? parsed.mediaType ?? '', manifest: image.imageManifest };
}

/**
 * The platforms a multi-platform manifest lists, as `os/architecture` (OCI image index, `manifests[].platform`);
 * undefined for a single-platform manifest, which names its platform only in its config blob.
 * @param image from {@link readImageManifest}
 */
export function manifestPlatforms(image: ImageManifest): string[] | undefined {
  const document = JSON.parse(image.manifest) as { manifests?: { platform?: { os?: string; architecture?: string } }[] };
  if (!Array.isArray(document.manifests)) return undefined;
  return document.manifests.filter((m) => m.platform?.architecture).map((m) => `${m.platform?.os ?? '?'}/${m.platform?.architecture}`);
}
