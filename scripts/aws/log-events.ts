import { type CloudWatchLogsClient, type FilteredLogEvent, paginateFilterLogEvents } from '@aws-sdk/client-cloudwatch-logs';
import { RefusedError } from '../core/errors';
import { withPermission } from './permission';

/** Which events to read. */
export interface LogQuery {
  /** the log group. */
  readonly logGroupName: string;
  /** the first millisecond (epoch) to read. */
  readonly startTime: number;
  /** a CloudWatch Logs filter pattern, e.g. `ERROR`. */
  readonly filterPattern?: string;
  /**
   * stop after this many events, so `--since 7d` on a chatty service cannot run for minutes.
   * @default 10000
   */
  readonly limit?: number;
}

/**
 * Reads a log group's events from a point in time on, oldest first, across all its streams.
 * @param logs a CloudWatch Logs client
 * @param query the group, start and filter
 */
export async function filterLogEvents(logs: CloudWatchLogsClient, query: LogQuery): Promise<FilteredLogEvent[]> {
  const limit = query.limit ?? 10000;
  const events: FilteredLogEvent[] = [];
  try {
    await withPermission('logs:FilterLogEvents', async () => {
      const input = {
        logGroupName: query.logGroupName,
        startTime: query.startTime,
        ...(query.filterPattern ? { filterPattern: query.filterPattern } : {}),
      };
      for await (const page of paginateFilterLogEvents({ client: logs }, input)) {
        events.push(...(page.events ?? []));
        if (events.length >= limit) break;
      }
    });
  } catch (err) {
    if ((err as Error).name === 'ResourceNotFoundException') {
      throw new RefusedError(`log group ${query.logGroupName} from the manifest does not exist; redeploy the stack with cdk deploy`);
    }
    throw err;
  }
  return events.slice(0, limit).sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
}
