/** What every AWS client of one CLI run is built with. */
export interface AwsOptions {
  /** the region of the stacks. */
  readonly region: string;
  /** a named profile, when `--profile` was given. */
  readonly profile?: string;
}

/**
 * Client configuration shared by every SDK client berth creates: adaptive retry so throttling during
 * an incident (many operators, many calls) is retried with back-off instead of failing the command.
 * The SDK itself honours AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>).
 */
export function clientConfig(options: AwsOptions) {
  return {
    region: options.region,
    ...(options.profile ? { profile: options.profile } : {}),
    retryMode: 'adaptive',
    maxAttempts: 6,
  };
}
