import { GetParameterCommand, ParameterNotFound, type SSMClient } from '@aws-sdk/client-ssm';
import {
  type Manifest,
  type ManifestEnvironment,
  ManifestError,
  manifestParameterName,
  ManifestVersionError,
  parseManifest,
} from '../../infra/manifest';
import { RefusedError } from '../core/errors';

/** A refusal because the manifest's schema version is not one this berth reads; `berth verify` reports it as a failing check. */
export class ManifestVersionRefusal extends RefusedError {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestVersionRefusal';
  }
}

/** A refusal because the environment has no manifest: its stack is not deployed; `berth verify` then checks what the first deploy needs. */
export class ManifestMissingRefusal extends RefusedError {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestMissingRefusal';
  }
}

/**
 * Reads and validates an environment's manifest, the CLI's only way to find resources.
 * @param ssm an SSM client in the stacks' region
 * @param app the app name from config
 * @param environment pre or live
 */
export async function readManifest(ssm: SSMClient, app: string, environment: ManifestEnvironment): Promise<Manifest> {
  const name = manifestParameterName(app, environment);
  let text: string | undefined;
  try {
    const response = await ssm.send(new GetParameterCommand({ Name: name }));
    text = response.Parameter?.Value;
  } catch (err) {
    if (err instanceof ParameterNotFound || (err as Error).name === 'ParameterNotFound') {
      throw new ManifestMissingRefusal(
        `no manifest at ${name}: deploy the ${app}-${environment} stack first (npx cdk deploy ${app}-${environment}), or check --config and --region`,
      );
    }
    throw err;
  }
  if (text === undefined) throw new RefusedError(`manifest ${name} is empty; redeploy ${app}-${environment} with cdk deploy`);
  let manifest: Manifest;
  try {
    manifest = parseManifest(text, name);
  } catch (err) {
    if (err instanceof ManifestVersionError) throw new ManifestVersionRefusal(err.message);
    if (err instanceof ManifestError) throw new RefusedError(err.message);
    throw err;
  }
  if (manifest.environment !== environment || manifest.app !== app) {
    throw new RefusedError(
      `manifest ${name} describes ${manifest.app}-${manifest.environment}, not ${app}-${environment}; redeploy ${app}-${environment} with cdk deploy`,
    );
  }
  return manifest;
}
