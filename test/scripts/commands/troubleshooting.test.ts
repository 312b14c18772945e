import * as fs from 'node:fs';
import * as path from 'node:path';
import { EXIT } from '../../../scripts/core/errors';
import { runBerth } from '../../_helpers/run-berth';

const TROUBLESHOOTING = ['instances', 'connect', 'exec', 'logs', 'agent-log', 'dns', 'doctor'];

describe('the troubleshooting commands', () => {
  test.each(TROUBLESHOOTING)('berth %s --help prints the usage and the common options, and exits 0', async (name) => {
    // WHEN
    const { code, out } = await runBerth([name, '--help']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toMatch(new RegExp(`^Usage: berth ${name} `));
    for (const flag of ['--json', '--region', '--profile', '--config']) expect(out).toContain(flag);
  });

  test.each(TROUBLESHOOTING)('berth %s with an unknown environment is a one-line usage error', async (name) => {
    // WHEN
    const { code, err } = await runBerth([name, 'prod', ...(name === 'agent-log' ? ['--instance', 'i-0abc'] : [])], {
      env: { BERTH_CONFIG: 'config/example.json' },
    });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim()).toBe(`berth ${name}: unknown environment "prod"; allowed: pre, live`);
  });

  test("the README's Troubleshooting section shows every troubleshooting command", () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const start = readme.indexOf('## Troubleshooting');
    const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

    // THEN
    expect(start).toBeGreaterThan(0);
    for (const name of TROUBLESHOOTING) expect(section).toContain(`npx berth ${name} `);
    for (const words of ['Session Manager plugin', 'AWS CLI v2', 'berth doctor live', '--ssh', '--follow'])
      expect(section).toContain(words);
  });
});
