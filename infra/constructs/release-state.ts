import { type CfnResource, CfnDynamicReference, CfnDynamicReferenceService, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { EnvironmentName } from '../config';
import { IMAGE_TAG_PARAMETER_RESOURCE_TYPE, type ImageTagParameterProperties } from '../handlers/image-tag-parameter';
import { imageTagParameterDescription, imageTagParameterName, RELEASE_TAG_PATTERN } from '../manifest';
import { HandlerFunction } from './handler-function';

/** The image tag pre runs: every merge to `master` pushes it. */
export const PRE_IMAGE_TAG = 'master';

/**
 * The logical id the image-tag parameter has had since berth's first shared stack. A stack deployed before the
 * parameter became a custom resource holds an `AWS::SSM::Parameter` under this id; CloudFormation refuses to
 * change a resource's type ("Update of resource type is not permitted"), so such a stack fails the change set
 * before anything changes instead of deleting the parameter and its history (the README says how to move on).
 */
export const IMAGE_TAG_PARAMETER_LOGICAL_ID = 'ReleaseStateImageTagParameter7E370E3B';

/** Properties of {@link ReleaseState}. */
export interface ReleaseStateProps {
  /** the app name; the parameter is `/berth/<app>/live/image-tag`. */
  readonly appName: string;
  /** the release the parameter holds when it is created, e.g. `v1.0.0`; ignored once it exists. */
  readonly initialImageTag: string;
  /**
   * the key the handler function's log group is encrypted with.
   * @default - CloudWatch Logs' own encryption
   */
  readonly logsKey?: kms.IKey;
}

/**
 * Which release live runs: the SSM parameter `/berth/<app>/live/image-tag`. Its version history is the
 * release history, and a rollback is its previous version.
 *
 * It lives in the shared stack, which is deployed first, because live's task definition reads it at deploy
 * time. It is a custom resource, not an `AWS::SSM::Parameter`, because CloudFormation's update of that type
 * writes the template's value over the recorded release whenever any property changes. The handler writes the
 * value only if the parameter does not exist (and its role may not overwrite one), adopts an existing
 * parameter, changes only tags later, and never deletes it; from creation on, only the berth CLI writes it.
 */
export class ReleaseState extends Construct {
  /** the parameter's name. */
  readonly imageTagParameterName: string;
  /** the custom resource that owns the parameter. */
  readonly imageTagParameter: Construct;

  constructor(scope: Construct, id: string, props: ReleaseStateProps) {
    super(scope, id);
    this.imageTagParameterName = imageTagParameterName(props.appName);
    const handler = HandlerFunction.of(this, props.logsKey ? { logsKey: props.logsKey } : {});
    const parameterArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: this.imageTagParameterName.slice(1),
    });
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // creating only: with Overwrite false SSM refuses to write an existing parameter, so the release the CLI
        // recorded cannot be written over by this role, whatever the handler's code does.
        actions: ['ssm:PutParameter'],
        resources: [parameterArn],
        conditions: { StringEquals: { 'ssm:Overwrite': 'false' } },
      }),
    );
    handler.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['ssm:AddTagsToResource', 'ssm:RemoveTagsFromResource'], resources: [parameterArn] }),
    );
    const properties: ImageTagParameterProperties = {
      Name: this.imageTagParameterName,
      InitialValue: props.initialImageTag,
      // SSM itself refuses a value that is not a release tag; the CLI sends the same pattern with every write.
      AllowedPattern: RELEASE_TAG_PATTERN,
      Description: imageTagParameterDescription(props.appName),
      Tags: [{ Key: 'berth:app', Value: props.appName }],
    };
    const parameter = handler.resource(
      this,
      'ImageTagParameter',
      IMAGE_TAG_PARAMETER_RESOURCE_TYPE,
      { ...properties },
      RemovalPolicy.RETAIN,
    );
    (parameter.node.defaultChild as CfnResource).overrideLogicalId(IMAGE_TAG_PARAMETER_LOGICAL_ID);
    this.imageTagParameter = parameter;
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
