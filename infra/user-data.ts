import * as fs from 'node:fs';
import * as path from 'node:path';

/** The folder that holds the instance bootstrap templates. */
export const USER_DATA_DIR = path.join(__dirname, '..', 'userdata');

/**
 * Renders a shell template from `userdata/`: replaces every `{{Name}}` with its value. Fails when the
 * template names a value that is not given, or a given value is not used, so a renamed placeholder
 * cannot slip through as literal text on an instance.
 * @param file the template's file name inside `userdata/`
 * @param values the placeholder values; they may be CDK tokens
 */
export function renderUserData(file: string, values: Readonly<Record<string, string>>): string {
  const template = fs.readFileSync(path.join(USER_DATA_DIR, file), 'utf8');
  const used = new Set<string>();
  const rendered = template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`userdata/${file} uses {{${name}}} but no value was given; given: ${Object.keys(values).join(', ')}`);
    }
    used.add(name);
    return value;
  });
  const unused = Object.keys(values).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`userdata/${file} has no placeholder for ${unused.join(', ')}`);
  return rendered;
}
