import { CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { filterLogEvents } from '../aws/log-events';
import { parseDuration } from '../core/timing';
import { openEnvironment } from '../cli/environment';
import { EXIT } from '../core/errors';
import type { Output } from '../cli/output';
import { sleep } from '../core/timing';
import { bindCommand, type Command } from '../cli/command';
import { LOGS } from './definitions';

/** What the logs command can be built with; tests shorten the poll interval. */
export interface LogsDependencies {
  /** how long --follow waits between polls. */
  readonly pollIntervalMs: number;
  /** the clock. */
  readonly now: () => number;
  /** the most events one read prints, so `--since 7d` on a chatty service cannot run for minutes. */
  readonly maxEvents: number;
}

/** One event as printed and as JSON. */
interface LogLine {
  readonly timestamp: string;
  readonly task: string;
  readonly message: string;
}

function toLine(event: FilteredLogEvent): LogLine {
  const stream = event.logStreamName ?? '';
  return {
    timestamp: new Date(event.timestamp ?? 0).toISOString(),
    // awslogs names streams <prefix>/<container>/<task id>: the task id is what tells two tasks apart.
    task: stream.slice(stream.lastIndexOf('/') + 1),
    message: (event.message ?? '').replace(/\n$/, ''),
  };
}

function print(output: Output, stdout: NodeJS.WritableStream, events: readonly FilteredLogEvent[], ndjson: boolean): void {
  for (const event of events) {
    const line = toLine(event);
    if (ndjson) stdout.write(`${JSON.stringify(line)}\n`);
    else output.line(`${line.timestamp}  ${line.task}  ${line.message}`);
  }
}

/**
 * Builds `berth logs` with its timing.
 * @param dependencies poll interval and clock
 */
export function createLogsCommand(dependencies: LogsDependencies): Command {
  return bindCommand(LOGS, async ({ environment, values }, context, output) => {
    const sinceSeconds = parseDuration(values.since ?? '15m', '--since');
    const { manifest, clients } = await openEnvironment(environment, values, context.env);
    const logs = clients.get(CloudWatchLogsClient);
    const query = { logGroupName: manifest.logGroupName, ...(values.filter ? { filterPattern: values.filter } : {}) };
    const startTime = dependencies.now() - sinceSeconds * 1000;
    const first = await filterLogEvents(logs, { ...query, startTime, limit: dependencies.maxEvents });
    if (first.length >= dependencies.maxEvents) {
      output.warn(
        `stopped after the first ${dependencies.maxEvents} events since ${values.since ?? '15m'} ago; narrow with a shorter --since or a --filter`,
      );
    }

    if (!values.follow) {
      if (output.json) output.result({ logGroupName: manifest.logGroupName, events: first.map(toLine) });
      else if (first.length === 0)
        output.warn(`no events in ${manifest.logGroupName} in the last ${values.since ?? '15m'}; try a longer --since`);
      else print(output, context.streams.stdout, first, false);
      return EXIT.OK;
    }

    // polls restart at the newest timestamp seen, so events that share it are remembered by id
    // and printed once.
    print(output, context.streams.stdout, first, output.json);
    let cursor = Math.max(startTime, ...first.map((e) => e.timestamp ?? 0));
    let seen = new Set(first.filter((e) => e.timestamp === cursor).map((e) => e.eventId));
    output.progress(`following ${manifest.logGroupName}; Ctrl-C to stop`);
    while (await sleep(dependencies.pollIntervalMs, context.signal)) {
      const events = (await filterLogEvents(logs, { ...query, startTime: cursor, limit: dependencies.maxEvents })).filter(
        (e) => !seen.has(e.eventId),
      );
      if (context.signal.aborted) break;
      print(output, context.streams.stdout, events, output.json);
      if (events.length > 0) {
        const newest = Math.max(...events.map((e) => e.timestamp ?? 0));
        const atNewest = events.filter((e) => e.timestamp === newest).map((e) => e.eventId);
        seen = newest === cursor ? new Set([...seen, ...atNewest]) : new Set(atNewest);
        cursor = newest;
      }
    }
    return EXIT.INTERRUPTED;
  });
}

/** `berth logs <env>`. */
export const logs: Command = createLogsCommand({ pollIntervalMs: 2000, now: () => Date.now(), maxEvents: 10000 });
