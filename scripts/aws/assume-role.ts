import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@smithy/types';
import { DUTIES, DUTY_SESSION_HOURS, type Duty, dutyRoleName } from '../../infra/duties';
import { FailedError, RefusedError, UsageError } from '../core/errors';

/** A role ARN as `--role` takes it. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/(?:[A-Za-z0-9+=,.@_-]+\/)*[A-Za-z0-9+=,.@_-]{1,64}$/;

/** An MFA device: a virtual device's ARN or a hardware device's serial number (STS API reference, AssumeRole `SerialNumber`). */
const MFA_SERIAL = /^[\w+=/:,.@-]{9,256}$/;

/** The code an MFA device shows (STS: "six numeric digits"). */
const MFA_CODE = /^\d{6}$/;

/** Role chaining (assuming a role from a role's session) lasts at most an hour (IAM user guide, "Role chaining"). */
const CHAINED_SESSION_SECONDS = 3600;

/** What `--role`, `--mfa-serial` and `--mfa-code` ask for, checked. */
export interface RoleRequest {
  /** the role's ARN. */
  readonly roleArn: string;
  /** the duty, when `--role` named one: its session may last {@link DUTY_SESSION_HOURS}. */
  readonly duty?: Duty;
  /** the MFA device and its current code, when both were given. */
  readonly mfa?: { readonly serial: string; readonly code: string };
}

/** The flags and settings {@link roleRequest} reads. */
export interface RoleFlags {
  /** `--role`: a duty or a role ARN. */
  readonly role?: string;
  /** `--mfa-serial`. */
  readonly 'mfa-serial'?: string;
  /** `--mfa-code`. */
  readonly 'mfa-code'?: string;
}

/**
 * The role a run assumes, or undefined without `--role`. Checks every flag before any call.
 * @param flags the command line's flags
 * @param env the process environment (`BERTH_MFA_SERIAL`, `BERTH_MFA_CODE`)
 * @param where the app, account and region from config, and the environment the command names
 */
export function roleRequest(
  flags: RoleFlags,
  env: NodeJS.ProcessEnv,
  where: { readonly app: string; readonly account?: string; readonly region: string; readonly environment: string },
): RoleRequest | undefined {
  const serial = flags['mfa-serial'] ?? (env.BERTH_MFA_SERIAL || undefined);
  const code = flags['mfa-code'] ?? (env.BERTH_MFA_CODE || undefined);
  if (flags.role === undefined) {
    if (flags['mfa-serial'] !== undefined || flags['mfa-code'] !== undefined) {
      throw new UsageError('--mfa-serial and --mfa-code go with --role: berth asks for MFA only when it assumes a role');
    }
    return undefined;
  }
  const duty = (DUTIES as readonly string[]).includes(flags.role) ? (flags.role as Duty) : undefined;
  if (!duty && !ROLE_ARN.test(flags.role)) {
    throw new UsageError(
      `--role "${flags.role}" is neither a duty nor a role ARN; allowed: ${DUTIES.join(', ')} or arn:aws:iam::<account>:role/<name>`,
    );
  }
  if (serial !== undefined && !MFA_SERIAL.test(serial)) {
    throw new UsageError(
      `MFA device "${serial}" is not valid; allowed: its ARN arn:aws:iam::<account>:mfa/<name> or a hardware serial number`,
    );
  }
  if (code !== undefined && !MFA_CODE.test(code))
    throw new UsageError(`MFA code "${code}" is not valid; allowed: the 6 digits your device shows`);
  if ((serial === undefined) !== (code === undefined)) {
    throw new UsageError(
      serial === undefined
        ? 'an MFA code needs its device: --mfa-serial <arn> or $BERTH_MFA_SERIAL'
        : 'MFA device given without a code: --mfa-code <6 digits> or $BERTH_MFA_CODE',
    );
  }
  if (duty && where.account === undefined) {
    throw new UsageError(
      `--role ${duty} names the ${duty} role in the config's account, and the config has no valid account; give the role's ARN`,
    );
  }
  const partition = where.region.startsWith('cn-') ? 'aws-cn' : where.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  const roleArn = duty ? `arn:${partition}:iam::${where.account}:role/${dutyRoleName(where.app, where.environment, duty)}` : flags.role;
  return { roleArn, ...(duty ? { duty } : {}), ...(serial && code ? { mfa: { serial, code } } : {}) };
}

/** A name STS takes as a role session's (2 to 64 of `\w+=,.@-`), from the caller's ARN: the person shows in CloudTrail and in a release's berth:started-by tag. */
function sessionNameOf(callerArn: string | undefined): string {
  const last = (callerArn ?? '').split('/').pop() ?? '';
  const name = `berth-${last}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
  return name.length >= 2 ? name : 'berth';
}

/**
 * Assumes the role with the run's own credentials and returns the role's.
 * @param sts an STS client with the run's own credentials
 * @param request the role, and MFA when given
 */
export async function assumeRole(sts: STSClient, request: RoleRequest): Promise<AwsCredentialIdentity> {
  // GetCallerIdentity needs no permission (STS API reference); it names the session after the person and tells
  // whether this is role chaining, which AWS limits to an hour.
  const caller = await sts.send(new GetCallerIdentityCommand({}));
  const chained = /:assumed-role\//.test(caller.Arn ?? '');
  const hours = request.duty ? DUTY_SESSION_HOURS[request.duty] : 1;
  const durationSeconds = chained ? CHAINED_SESSION_SECONDS : hours * 3600;
  let response;
  try {
    response = await sts.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: sessionNameOf(caller.Arn),
        DurationSeconds: durationSeconds,
        ...(request.mfa ? { SerialNumber: request.mfa.serial, TokenCode: request.mfa.code } : {}),
      }),
    );
  } catch (err) {
    if (err instanceof Error && (err.name === 'AccessDenied' || err.name === 'AccessDeniedException')) {
      const mfa = request.mfa
        ? 'the MFA code may be wrong or already used (wait for the next one)'
        : "the role may ask for MFA (live's do by default: give --mfa-serial and --mfa-code)";
      throw new RefusedError(
        `AWS refused ${caller.Arn ?? 'you'} the role ${request.roleArn}: ${mfa}; the role trusts only the principals in environments.<env>.access, and your own policy needs sts:AssumeRole on it`,
      );
    }
    throw err;
  }
  const credentials = response.Credentials;
  if (!credentials?.AccessKeyId || !credentials.SecretAccessKey)
    throw new FailedError(`STS returned no credentials for ${request.roleArn}`);
  return {
    accessKeyId: credentials.AccessKeyId,
    secretAccessKey: credentials.SecretAccessKey,
    ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
  };
}
