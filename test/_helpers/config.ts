import { ConfigError, parseConfig } from '../../infra/config';
import { exampleRawConfig } from './synth';

/** Marks a field to delete in {@link problemsAfter}. */
export const DELETE = Symbol('delete');

/**
 * The problems parseConfig reports for a raw config, or none when it is valid.
 * @param raw the parsed JSON
 */
export function configProblems(raw: unknown): readonly string[] {
  try {
    parseConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

/**
 * The problems parseConfig reports for the example config after edits.
 * @param edits dotted paths (`environments.pre.instanceType`) to a new value, or to {@link DELETE};
 *   missing objects on the way are created, so a test can set a field the example leaves out
 */
export function problemsAfter(edits: Readonly<Record<string, unknown>>): readonly string[] {
  const raw = exampleRawConfig();
  for (const [dotted, value] of Object.entries(edits)) {
    const keys = dotted.split('.');
    const last = keys.pop()!;
    const parent = keys.reduce((obj, key) => {
      obj[key] ??= {};
      return obj[key] as Record<string, unknown>;
    }, raw);
    if (value === DELETE) Reflect.deleteProperty(parent, last);
    else parent[last] = value;
  }
  return configProblems(raw);
}
