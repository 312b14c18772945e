import { allOptions, COMMON_OPTIONS, optionLabel, usagePrefix } from './args';
import type { CommandDefinition } from './command';

/** The usage line after the environment: the command's own options, then `[options]` for the common ones. */
function synopsis(definition: CommandDefinition): string {
  if (definition.synopsis !== undefined) return definition.synopsis;
  const own = Object.entries(definition.options)
    .filter(([name]) => !(name in COMMON_OPTIONS))
    .map(([name, option]) => {
      const label = `--${name}${option.type === 'string' ? ` ${option.value ?? '<value>'}` : ''}`;
      return option.required !== undefined ? label : `[${label}]`;
    });
  const passThrough = definition.passThrough ? [`[-- ${definition.passThrough.value}]`] : [];
  const commons = Object.keys(definition.options).some((name) => name in COMMON_OPTIONS) ? ['[options]'] : [];
  return [...own, ...passThrough, ...commons].join(' ');
}

/**
 * `berth <command> --help`, generated from the command's definition: the usage line, the description,
 * then every option it takes, each description in one column.
 * @param definition the command's definition
 */
export function commandHelp(definition: CommandDefinition): string {
  const rows: [string, string][] = allOptions(definition).map(([name, option]) => [optionLabel(name, option), option.help]);
  if (definition.passThrough) rows.splice(rows.length - 1, 0, [`-- ${definition.passThrough.value}`, definition.passThrough.help]);
  const width = Math.max(...rows.map(([label]) => label.length));
  const options = rows.flatMap(([label, help]) => {
    const [first, ...wrapped] = help.split('\n');
    return [`  ${label.padEnd(width)}  ${first}`, ...wrapped.map((line) => `  ${' '.repeat(width)}  ${line}`)];
  });
  return [
    `Usage: ${usagePrefix(definition)} ${synopsis(definition)}`.trimEnd(),
    '',
    definition.description.trim(),
    '',
    'Options:',
    ...options,
    ...(definition.footer ? ['', definition.footer.trim()] : []),
    '',
  ].join('\n');
}
