import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { FailedError } from '../core/errors';

/**
 * The ARN of whoever runs berth: an IAM user, or the assumed role and its session name
 * (`arn:aws:sts::123456789012:assumed-role/<role>/<session>`), as STS GetCallerIdentity answers.
 * GetCallerIdentity needs no permission: it answers even when a policy explicitly denies
 * `sts:GetCallerIdentity` (STS API reference, GetCallerIdentity,
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
 * @param sts an STS client of the run
 */
export async function callerArn(sts: STSClient): Promise<string> {
  const response = await sts.send(new GetCallerIdentityCommand({}));
  if (!response.Arn) throw new FailedError('STS GetCallerIdentity returned no ARN; nothing was changed, try again');
  return response.Arn;
}
