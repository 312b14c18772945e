import { setTimeout as wait } from 'node:timers/promises';
import { UsageError } from './errors';

/**
 * Waits, unless Ctrl-C comes first.
 * @param ms how long
 * @param signal the command's abort signal
 * @returns true when the time passed, false when aborted
 */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await wait(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses a duration such as `90s`, `15m`, `2h` or `1d` into seconds.
 * @param value the text
 * @param flag the flag it came from, for the error message
 */
export function parseDuration(value: string, flag: string): number {
  const match = /^(\d+)(s|m|h|d)$/.exec(value);
  if (!match || Number(match[1]) === 0) {
    throw new UsageError(`${flag} "${value}" is not a duration; allowed: a whole number with s, m, h or d, such as 90s or 15m`);
  }
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

/**
 * A duration as `4m12s`, `35s` or `1h02m`.
 * @param seconds the duration
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
