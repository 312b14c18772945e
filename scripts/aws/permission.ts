import { RefusedError } from '../core/errors';

/** Error names AWS services use when the caller's policy does not allow an action. */
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedException']);

/**
 * Runs one AWS call and, when AWS denies it, refuses with the IAM action to ask for: an operator at
 * 2 a.m. needs the permission's name, which not every service puts in its message.
 * @param action the IAM action the call needs, e.g. `ec2:DescribeInstances`
 * @param call the call
 */
export async function withPermission<T>(action: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && DENIED.has(err.name)) {
      throw new RefusedError(
        `AWS denied ${action}: your role needs the IAM permission ${action} (use a role that has it, or ask your AWS admin to grant it)`,
      );
    }
    throw err;
  }
}
