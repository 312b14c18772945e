import { Stack } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type Manifest, manifestParameterName } from '../manifest';

/** Properties of {@link ManifestParameter}. */
export interface ManifestParameterProps {
  /** the manifest; its strings may be CDK tokens, which resolve at deploy time. */
  readonly manifest: Manifest;
}

/**
 * Writes an environment's manifest as JSON to `/berth/<app>/<env>/manifest`: the CLI finds every resource
 * of the environment through it and never guesses a name.
 */
export class ManifestParameter extends Construct {
  /** the SSM parameter that holds the manifest. */
  readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ManifestParameterProps) {
    super(scope, id);
    const { manifest } = props;
    this.parameter = new ssm.StringParameter(this, 'Parameter', {
      // a path the CLI derives from app and environment; DESIGN.md fixes it.
      parameterName: manifestParameterName(manifest.app, manifest.environment),
      // toJsonString keeps tokens as CloudFormation intrinsics inside the JSON, so they resolve at deploy.
      stringValue: Stack.of(this).toJsonString(manifest),
      description: `berth ${manifest.app} ${manifest.environment}: where the berth CLI finds every resource of the environment`,
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}
