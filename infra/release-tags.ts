/**
 * Tags berth's CLI puts on each task-definition revision it registers for a release, and the release
 * notifications read back (issue 14): who started the release and, for `promote`, its GitHub release page.
 *
 * Nothing in this file may import anything: the CLI, the GitHub action bundle and the notification
 * handler all read it.
 */
export const RELEASE_TAGS = {
  /**
   * the caller's ARN (STS GetCallerIdentity) of the berth command that registered the revision, followed by
   * a space and the GitHub Actions run's page when berth ran in a workflow (and both fit in 256 characters).
   */
  startedBy: 'berth:started-by',
  /** the GitHub release page of the tag `promote` released; absent for `deploy` and `rollback`. */
  releaseUrl: 'berth:release-url',
} as const;
