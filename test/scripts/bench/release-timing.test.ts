import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configFlag, releaseTimingReport } from '../../../scripts/bench/release-timing';
import { configFileOf } from '../../../scripts/cli/settings';

describe('npm run bench release-timing', () => {
  test("reports the user's config, not the example", () => {
    // GIVEN a config whose live bakes 29 minutes
    const example = JSON.parse(fs.readFileSync('config/example.json', 'utf8'));
    example.environments.live.bakeMinutes = 29;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-')), 'acme.json');
    fs.writeFileSync(file, JSON.stringify(example));

    // WHEN
    const report = releaseTimingReport(configFileOf(configFlag([]), { BERTH_CONFIG: file }));

    // THEN
    expect(report).toContain(`release timing of ${file}`);
    expect(report).toMatch(/ {2}live: start 30 s \+ 10 s x 2 checks, bake 29 min, drain 30 s/);
  });

  test('reads the config as every berth command does: --config, else BERTH_CONFIG, else config/example.json', () => {
    expect(configFileOf(configFlag(['--config', 'config/a.json']), { BERTH_CONFIG: 'config/b.json' })).toBe('config/a.json');
    expect(configFileOf(configFlag(['--config=config/a.json']), {})).toBe('config/a.json');
    expect(configFileOf(configFlag([]), { BERTH_CONFIG: 'config/b.json' })).toBe('config/b.json');
    expect(configFileOf(configFlag([]), {})).toBe('config/example.json');
  });
});
