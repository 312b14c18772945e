/**
 * The environments berth runs: `pre` follows `master`; `live` runs a promoted release. The config, the
 * manifest and the CLI all take their names from here. Nothing in this file may import aws-cdk-lib: the
 * CLI bundles it.
 */
export const ENVIRONMENT_NAMES = ['pre', 'live'] as const;

/** One of {@link ENVIRONMENT_NAMES}. */
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/**
 * The name of one of an app's stacks: `<app>-shared`, `<app>-pre`, `<app>-live`.
 * @param app the app name
 * @param part `shared` or an environment
 */
export function stackNameOf(app: string, part: 'shared' | EnvironmentName): string {
  return `${app}-${part}`;
}
