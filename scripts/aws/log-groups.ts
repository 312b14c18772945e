import { type CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { withPermission } from './permission';

/**
 * Whether a log group exists: DescribeLogGroups by the name as prefix, then an exact match among the answers
 * (the prefix also matches longer names). The answer is "ASCII-sorted by log group name" (CloudWatch Logs API
 * reference, DescribeLogGroups), so the name itself, the shortest with that prefix, is on the first page.
 * @param logs a CloudWatch Logs client
 * @param name the log group's name
 */
export async function logGroupExists(logs: CloudWatchLogsClient, name: string): Promise<boolean> {
  const response = await withPermission('logs:DescribeLogGroups', () =>
    logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, limit: 50 })),
  );
  return (response.logGroups ?? []).some((group) => group.logGroupName === name);
}
