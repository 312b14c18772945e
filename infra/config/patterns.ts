/**
 * Patterns the config and the manifest share. Nothing in this file may import aws-cdk-lib: the CLI
 * bundles it.
 */

/**
 * berth's own limit on an app name: 3 to 20 lower-case letters, digits and hyphens, starting with a
 * letter and ending with a letter or digit. Short, because it prefixes every stack and resource name.
 */
export const APP_NAME_SHAPE = /^[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/**
 * An app name berth takes: {@link APP_NAME_SHAPE}, and no two hyphens in a row, which ECR refuses in a
 * repository name (infra/config/names.ts lists every name the app name becomes, with its limits).
 */
export const APP_NAME = /^(?!.*--)[a-z][a-z0-9-]{1,18}[a-z0-9]$/;

/** A region name's shape (`eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`); synth checks it is a region aws-cdk-lib knows. */
export const REGION = /^[a-z]{2,4}(-[a-z]+){1,2}-\d{1,2}$/;
