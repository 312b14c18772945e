/**
 * Exit codes of every berth command. They are part of the CLI's contract: scripts and CI jobs branch on
 * them, `berth --help` and the README list them.
 */
export const EXIT = {
  /** the command did what it was asked. */
  OK: 0,
  /** an unexpected error (a bug, or an AWS error berth does not know): the message says what failed. */
  INTERNAL: 1,
  /** the command line is wrong: unknown command, environment, flag, or a malformed value such as a tag. */
  USAGE: 2,
  /** a check refused the change before anything was written (no release, no image, deployment in progress, a failing pre-flight check, no manifest, no credentials). */
  REFUSED: 3,
  /** the work ran and failed: the deployment failed or was rolled back, or `doctor`, `dns` or `verify` found a failing link. */
  FAILED: 4,
  /** `--timeout` passed before the deployment ended; it is still running. */
  TIMED_OUT: 5,
  /** `doctor`, `dns` or `verify` found warnings but nothing failing. */
  WARNINGS: 6,
  /** AWS could not be reached, or something else answered (a proxy's page): the network, not berth's checks. */
  UNREACHABLE: 7,
  /** interrupted with Ctrl-C; a running deployment goes on. */
  INTERRUPTED: 130,
} as const;

/** One of the values of {@link EXIT}. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error with a one-line message meant for the operator and the exit code it maps to. */
export class BerthError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
    this.name = 'BerthError';
  }
}

/** The command line is wrong. */
export class UsageError extends BerthError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
    this.name = 'UsageError';
  }
}

/** A check refused the change; nothing was written. */
export class RefusedError extends BerthError {
  constructor(message: string) {
    super(message, EXIT.REFUSED);
    this.name = 'RefusedError';
  }
}

/** The work ran and failed. */
export class FailedError extends BerthError {
  constructor(message: string) {
    super(message, EXIT.FAILED);
    this.name = 'FailedError';
  }
}

/**
 * AWS did not answer (a timeout, a refused connection, a name that does not resolve) or something else
 * answered in its place. The message names the service and the endpoint and says what to check.
 */
export class UnreachableError extends BerthError {
  constructor(message: string) {
    super(message, EXIT.UNREACHABLE);
    this.name = 'UnreachableError';
  }
}

/** Error names the AWS SDK uses when it found no usable credentials, or AWS rejected them. */
const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'TokenRefreshRequired',
]);

/**
 * Whether an error means there are no usable credentials, which no retry or other check can get past.
 * @param err the thrown value
 */
export function isCredentialError(err: unknown): boolean {
  return err instanceof Error && CREDENTIAL_ERRORS.has(err.name);
}

/**
 * Whether an error makes every further AWS call fail the same way (no credentials, no network), so a
 * command that reports many checks stops with this one line instead of repeating it for each.
 * @param err the thrown value
 */
export function endsEveryCheck(err: unknown): boolean {
  return isCredentialError(err) || err instanceof UnreachableError;
}

/**
 * Turns any thrown value into a {@link BerthError}: credential problems become a refusal that says how
 * to get credentials, other AWS errors keep their service message.
 */
export function toBerthError(err: unknown): BerthError {
  if (err instanceof BerthError) return err;
  const error = err instanceof Error ? err : new Error(String(err));
  if (CREDENTIAL_ERRORS.has(error.name)) {
    return new RefusedError(
      `no usable AWS credentials (${error.message.split('\n')[0]}); log in (aws sso login, or set AWS_PROFILE / --profile) and try again`,
    );
  }
  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied' || error.name === 'UnauthorizedOperation') {
    return new RefusedError(`AWS denied the call: ${error.message.split('\n')[0]}`);
  }
  return new BerthError(`${error.name}: ${error.message.split('\n')[0]}`, EXIT.INTERNAL);
}
