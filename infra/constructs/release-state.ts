import { CfnDynamicReference, CfnDynamicReferenceService } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../config';
import { imageTagParameterName, RELEASE_TAG_PATTERN } from '../manifest';

/** The image tag pre runs: every merge to `master` pushes it. */
export const PRE_IMAGE_TAG = 'master';

/** Properties of {@link ReleaseState}. */
export interface ReleaseStateProps {
  /** the app name; the parameter is `/berth/<app>/live/image-tag`. */
  readonly appName: string;
  /** the release the parameter holds when CloudFormation creates it, e.g. `v1.0.0`. */
  readonly initialImageTag: string;
}

/**
 * Which release live runs: the SSM parameter `/berth/<app>/live/image-tag`. Its version history is the
 * release history, and a rollback is its previous version.
 *
 * It lives in the shared stack, which is deployed first, because live's task definition reads it at
 * deploy time. CloudFormation writes the value once, at creation; from then on `berth promote` owns it,
 * and CloudFormation only writes it again if `initialImageTag` in the template changes.
 */
export class ReleaseState extends Construct {
  /** the parameter that holds live's image tag. */
  readonly imageTagParameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: ReleaseStateProps) {
    super(scope, id);
    this.imageTagParameter = new ssm.StringParameter(this, 'ImageTagParameter', {
      // a path the operator and the CLI type; DESIGN.md fixes it.
      parameterName: imageTagParameterName(props.appName),
      stringValue: props.initialImageTag,
      description: `berth ${props.appName}: the release live runs; written by \`berth promote\`, its history is the release history`,
      // SSM itself refuses a value that is not a release tag, whoever writes it; the CLI checks the same pattern.
      allowedPattern: RELEASE_TAG_PATTERN,
      tier: ssm.ParameterTier.STANDARD,
    });
  }
}

/**
 * The image tag an environment's task definition names: `master` for pre; for live a CloudFormation
 * dynamic reference to the image-tag parameter, resolved whenever CloudFormation registers the task
 * definition, so a `cdk deploy` keeps the release `berth promote` recorded instead of a tag in the template.
 * @param appName the app name
 * @param environment pre or live
 */
export function imageTagFor(appName: string, environment: EnvironmentName): string {
  if (environment === 'pre') return PRE_IMAGE_TAG;
  return new CfnDynamicReference(CfnDynamicReferenceService.SSM, imageTagParameterName(appName)).toString();
}
