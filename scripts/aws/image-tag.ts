import { GetParameterCommand, paginateGetParameterHistory, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { type Manifest, RELEASE_TAG_PATTERN } from '../../infra/manifest';
import { RefusedError } from '../core/errors';

/**
 * The image-tag parameter live's manifest names; a live manifest without one predates this berth.
 * @param manifest live's manifest
 */
export function liveImageTagParameter(manifest: Manifest): string {
  if (!manifest.imageTagParameter) {
    throw new RefusedError(
      `manifest of ${manifest.app}-live names no imageTagParameter; redeploy ${manifest.app}-live with this version's cdk deploy`,
    );
  }
  return manifest.imageTagParameter;
}

/** One version of live's image-tag parameter: one release of live. */
export interface ImageTagVersion {
  /** the parameter version, growing by one per release. */
  readonly version: number;
  /** the image tag, e.g. `v1.4.0`. */
  readonly tag: string;
  /** when it was written. */
  readonly at?: Date;
  /** who wrote it (an IAM ARN). */
  readonly who?: string;
}

/**
 * Reads every version of the image-tag parameter, oldest first: the release history of live.
 * @param ssm an SSM client in the stacks' region
 * @param name the parameter (manifest `imageTagParameter`)
 */
export async function readImageTagHistory(ssm: SSMClient, name: string): Promise<ImageTagVersion[]> {
  const versions: ImageTagVersion[] = [];
  for await (const page of paginateGetParameterHistory({ client: ssm, pageSize: 50 }, { Name: name })) {
    for (const p of page.Parameters ?? []) {
      if (p.Value === undefined || p.Version === undefined) continue;
      versions.push({
        version: p.Version,
        tag: p.Value,
        ...(p.LastModifiedDate ? { at: p.LastModifiedDate } : {}),
        ...(p.LastModifiedUser ? { who: p.LastModifiedUser } : {}),
      });
    }
  }
  return versions.sort((a, b) => a.version - b.version);
}

/**
 * The release before the current one: the newest version whose tag differs from the newest version's.
 * @param history the parameter's versions, any order
 */
export function previousRelease(history: readonly ImageTagVersion[]): ImageTagVersion | undefined {
  const ordered = [...history].sort((a, b) => b.version - a.version);
  const current = ordered[0];
  return ordered.find((v) => v.tag !== current?.tag);
}

/**
 * Records the release live now runs as a new parameter version (history stays append-only). Only the CLI
 * writes the parameter once it exists. Call it only after the deployment of that release succeeded.
 * @param ssm an SSM client in the stacks' region
 * @param name the parameter (manifest `imageTagParameter`)
 * @param tag the image tag live runs
 * @returns the new parameter version
 */
export async function writeImageTag(ssm: SSMClient, name: string, tag: string): Promise<number | undefined> {
  // the pattern goes with every write, so SSM checks the tag whatever pattern the parameter was created with
  // (an adopted parameter may have none: the stack never writes it again).
  const response = await ssm.send(
    new PutParameterCommand({ Name: name, Value: tag, Type: 'String', Overwrite: true, AllowedPattern: RELEASE_TAG_PATTERN }),
  );
  return response.Version;
}

/**
 * Reads the image tag live is recorded to run, or undefined when the parameter does not exist yet.
 * @param ssm an SSM client in the stacks' region
 * @param name the parameter (manifest `imageTagParameter`)
 */
export async function readImageTag(ssm: SSMClient, name: string): Promise<{ tag: string; version?: number } | undefined> {
  try {
    const response = await ssm.send(new GetParameterCommand({ Name: name }));
    const value = response.Parameter?.Value;
    return value === undefined
      ? undefined
      : { tag: value, ...(response.Parameter?.Version !== undefined ? { version: response.Parameter.Version } : {}) };
  } catch (err) {
    if ((err as Error).name === 'ParameterNotFound') return undefined;
    throw err;
  }
}
