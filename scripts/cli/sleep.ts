import { setTimeout as wait } from 'node:timers/promises';

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
