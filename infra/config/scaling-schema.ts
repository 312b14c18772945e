/**
 * The config of task auto-scaling (`environments.<env>.autoScaling`), one part of the schema in ./schema:
 * the task range, the targets the service tracks and the time windows with a higher (or lower) minimum.
 * Nothing in this file may import aws-cdk-lib: the CLI reads the config through it.
 */
import { annotate, integer, map, optional, section, text, withDefault } from './schema-kit';

/** The most tasks auto-scaling may run: the limit `desiredTaskCount` has. */
export const MAX_SCALING_TASKS = 100;

/** The time zone of a scheduled minimum when config names none. */
export const DEFAULT_SCHEDULE_TIME_ZONE = 'UTC';

/** One field of an Application Auto Scaling cron expression other than `?`: digits, names and `* , - / L W #`. */
const CRON_FIELD = '[0-9A-Za-z*,/#-]+';

/**
 * An Application Auto Scaling cron expression without its `cron( )`: minutes, hours, day-of-month, month,
 * day-of-week, year; exactly one of day-of-month and day-of-week is `?` (Application Auto Scaling user
 * guide, "Schedule recurring scaling actions using cron expressions", which follows EventBridge's format).
 */
export const CRON_EXPRESSION = new RegExp(
  `^${CRON_FIELD} ${CRON_FIELD} (?:\\? ${CRON_FIELD} ${CRON_FIELD}|${CRON_FIELD} ${CRON_FIELD} \\?) ${CRON_FIELD}$`,
);

/** An IANA time zone name such as `UTC`, `Europe/Berlin` or `America/Argentina/Buenos_Aires`. */
export const TIME_ZONE = /^(?=.{1,64}$)[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/** A name of a scheduled minimum; it becomes part of the scheduled actions' names. */
const SCHEDULE_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What is wrong with a cron expression the pattern refuses, in words. */
function cronProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const fields = value.trim().split(/\s+/);
  if (value.startsWith('cron(')) return `"${value}" has the cron( ) around it; give only the six fields`;
  if (fields.length !== 6)
    return `"${value}" has ${fields.length} fields; a cron expression has 6: minutes hours day-of-month month day-of-week year`;
  const questionMarks = [fields[2], fields[4]].filter((field) => field === '?').length;
  if (questionMarks !== 1) return `"${value}" must have ? in exactly one of day-of-month and day-of-week`;
  return undefined;
}

/** A time zone name that the pattern allows but no time zone database knows. */
function timeZoneProblem(value: unknown): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: String(value) });
    return undefined;
  } catch {
    return `"${String(value)}" is not an IANA time zone`;
  }
}

const cron = (description: string) =>
  annotate(
    text(CRON_EXPRESSION, {
      description,
      allowed: 'six cron fields, minutes hours day-of-month month day-of-week year, with ? in one of the days, such as 0 8 ? * MON-FRI *',
    }),
    { explain: cronProblem },
  );

/** One time window in which the service keeps at least (or at most) another number of tasks. */
export const scheduledMinimumSchema = section(
  {
    minTasks: integer(1, MAX_SCALING_TASKS, {
      description: 'the fewest tasks from `start` to `end`, more or fewer than `autoScaling.minTasks`; at most `maxTasks`',
    }),
    start: cron('when the window opens: the minimum becomes this window’s `minTasks`'),
    end: cron('when the window closes: the minimum goes back to `autoScaling.minTasks`'),
    timeZone: optional(
      text(TIME_ZONE, {
        description: 'the IANA time zone `start` and `end` are read in, such as `Europe/Berlin`',
        allowed: 'an IANA time zone name such as UTC or Europe/Berlin',
        defaultText: `\`${DEFAULT_SCHEDULE_TIME_ZONE}\``,
        refine: timeZoneProblem,
      }),
    ),
  },
  {
    description: 'a time window with its own minimum',
    allowed: 'an object with minTasks, start, end and optionally timeZone',
  },
);

const targetsSchema = section(
  {
    cpuPercent: optional(
      integer(10, 95, {
        description: 'average CPU of the service’s tasks, in percent of what they reserve, that the service is scaled to hold',
      }),
    ),
    memoryPercent: optional(
      integer(10, 95, {
        description: 'average memory of the service’s tasks, in percent of their hard limit, that the service is scaled to hold',
      }),
    ),
    requestsPerTaskPerMinute: optional(
      integer(1, 1000000, {
        description:
          'requests a minute per task serving production, counted over blue and green, so it stays right after every release (see "Task auto-scaling")',
      }),
    ),
  },
  {
    description: 'what the service is scaled to hold; at least one. With several, the one that needs the most tasks wins',
    allowed: 'an object with one or more of cpuPercent, memoryPercent, requestsPerTaskPerMinute',
  },
);

/** `environments.<env>.autoScaling`: off unless the section is there. */
export const autoScalingSchema = section(
  {
    minTasks: integer(1, MAX_SCALING_TASKS, { description: 'the fewest tasks the service runs (outside a scheduled window)' }),
    maxTasks: integer(1, MAX_SCALING_TASKS, {
      description: 'the most tasks; a release needs room for twice as many, which the capacity check counts',
    }),
    targets: targetsSchema,
    scaleOutCooldownSeconds: withDefault(
      integer(0, 3600, {
        description: 'seconds a scale-out waits for the tasks it started before it adds more (AWS’s default is 300)',
      }),
      60,
    ),
    scaleInCooldownSeconds: withDefault(
      integer(0, 3600, { description: 'seconds after a scale-in before the next one; a scale-out never waits for it' }),
      300,
    ),
    scheduledMinimums: withDefault(
      map(
        text(SCHEDULE_NAME, {
          description: 'a window’s name',
          allowed: 'names of up to 40 lower-case letters, digits and hyphens, such as business-hours',
        }),
        scheduledMinimumSchema,
        {
          description:
            'named time windows with their own minimum, `name: { minTasks, start, end, timeZone }`: e.g. more tasks in business hours. Windows must not overlap',
        },
      ),
      {},
    ),
  },
  { description: 'task auto-scaling of the service; without it the service runs `desiredTaskCount` tasks', table: 'scaling' },
);
