import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFlag, releaseTimingReport } from '../../../scripts/bench/release-timing';
import { configFileOf } from '../../../scripts/cli/settings';

/** A copy of the example config, changed, in a file of its own. */
function configWith(change: (config: { environments: Record<'pre' | 'live', Record<string, unknown>> }) => void): string {
  const example = JSON.parse(fs.readFileSync('config/example.json', 'utf8'));
  change(example);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-')), 'acme.json');
  fs.writeFileSync(file, JSON.stringify(example));
  return file;
}

/** The lines of one environment's section of the report. */
function section(report: string, environment: 'pre' | 'live'): string[] {
  const lines = report.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  ${environment}: `));
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S/.test(l));
  return lines.slice(start, end);
}

/** A row's two figures: berth's and AWS's defaults. */
function row(lines: readonly string[], label: string): [string, string] | undefined {
  const line = lines.find((l) => l.startsWith(`    ${label.padEnd(22)} `));
  return line
    ? (line
        .slice(4 + 23)
        .trim()
        .split(/ {2,}/) as [string, string])
    : undefined;
}

describe('npm run bench release-timing', () => {
  test("reports the user's config, not the example", () => {
    // GIVEN a config whose live bakes 29 minutes
    const file = configWith((example) => {
      example.environments.live.bakeMinutes = 29;
    });

    // WHEN
    const report = releaseTimingReport(configFileOf(configFlag([]), { BERTH_CONFIG: file }));

    // THEN
    expect(report).toContain(`release timing of ${file}`);
    expect(report).toMatch(/ {4}start 30 s \+ 10 s x 2 checks, bake 29 min, drain 30 s/);
  });

  test('blue/green without a gate: the strategy, the three stages and the total, next to AWS defaults', () => {
    // GIVEN pre as the example has it: blue/green, no smoke checks, no approval
    const pre = section(releaseTimingReport(configWith(() => undefined)), 'pre');

    // THEN
    expect(pre[0]).toBe('  pre: blue/green: all production traffic at once; no gate');
    expect(pre.filter((l) => /^ {4}\S/.test(l) && !l.startsWith('    start')).map((l) => l.slice(4, 26).trim())).toEqual([
      'new target healthy',
      'bake',
      'blue drains',
      'release, least total',
    ]);
    expect(row(pre, 'release, least total')).toEqual(['3 min', '9 min 30 s']);
  });

  test('canary with smoke checks: the canary bake and the pause are stages of their own, the pause outside the least total', () => {
    // GIVEN
    const file = configWith((example) => {
      example.environments.pre.release = {
        strategy: { type: 'canary', percent: 10, bakeMinutes: 5 },
        smoke: [
          { path: '/health', status: 200 },
          { path: '/version', status: 200 },
        ],
        pauseTimeoutMinutes: 20,
      };
    });

    // WHEN
    const pre = section(releaseTimingReport(file), 'pre');

    // THEN 50 s healthy, 5 min canary, 2 min bake, 10 s drain; the gate waits up to 20 min
    expect(pre[0]).toBe('  pre: canary 10 % for 5 min, then 100 %; gate: 2 smoke checks; ECS rolls back after 20 min');
    expect(row(pre, 'gate pause, at most')).toEqual(['20 min', '20 min']);
    expect(row(pre, 'canary steps')).toEqual(['5 min', '5 min']);
    expect(row(pre, 'least total, no pause')).toEqual(['8 min', '14 min 30 s']);
    expect(row(pre, 'total, longest pause')).toEqual(['28 min', '34 min 30 s']);
    expect(row(pre, 'release, least total')).toBeUndefined();
  });

  test('linear with approval: every step bake but the last, and the pause', () => {
    // GIVEN
    const file = configWith((example) => {
      example.environments.live.release = { strategy: { type: 'linear', stepPercent: 25, stepBakeMinutes: 3 }, approve: true };
    });

    // WHEN
    const live = section(releaseTimingReport(file), 'live');

    // THEN 4 shifts, 3 bakes of 3 minutes; live's pause defaults to 30 minutes
    expect(live[0]).toBe(
      '  live: linear 25 % steps every 3 min: 100 % after 4 steps (9 min); gate: a person approves; ECS rolls back after 30 min',
    );
    expect(row(live, 'linear steps')).toEqual(['9 min', '9 min']);
    expect(row(live, 'gate pause, at most')).toEqual(['30 min', '30 min']);
    expect(row(live, 'least total, no pause')).toEqual(['20 min 20 s', '26 min 30 s']);
  });

  test('no gate, no pause line: live without approval or checks', () => {
    // GIVEN
    const file = configWith((example) => {
      example.environments.live.release = { approve: false };
    });

    // WHEN
    const live = section(releaseTimingReport(file), 'live');

    // THEN
    expect(live[0]).toContain('; no gate');
    expect(row(live, 'gate pause, at most')).toBeUndefined();
    expect(row(live, 'release, least total')).toEqual(['11 min 20 s', '17 min 30 s']);
  });

  test('reads the config as every berth command does: --config, else BERTH_CONFIG, else config/example.json', () => {
    expect(configFileOf(configFlag(['--config', 'config/a.json']), { BERTH_CONFIG: 'config/b.json' })).toBe('config/a.json');
    expect(configFileOf(configFlag(['--config=config/a.json']), {})).toBe('config/a.json');
    expect(configFileOf(configFlag([]), { BERTH_CONFIG: 'config/b.json' })).toBe('config/b.json');
    expect(configFileOf(configFlag([]), {})).toBe('config/example.json');
  });
});
