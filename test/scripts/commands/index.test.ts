import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../scripts/commands';
import { EXIT } from '../../../scripts/core/errors';
import { EXIT_CODE_HELP } from '../../../scripts/main';
import { runBerth } from '../../_helpers/run-berth';

describe('the command list', () => {
  test.each(COMMANDS.map((entry) => [entry.name, entry] as const))(
    '%s loads a command with the same name and summary',
    async (_name, entry) => {
      // WHEN
      const command = await entry.load();

      // THEN
      expect(command.name).toBe(entry.name);
      expect(command.summary).toBe(entry.summary);
    },
  );

  test.each(['promote', 'deploy', 'rollback', 'status', 'history'])(
    'berth %s --help prints the usage and the common options, and exits 0',
    async (name) => {
      // WHEN
      const { code, out } = await runBerth([name, '--help']);

      // THEN
      expect(code).toBe(EXIT.OK);
      expect(out).toMatch(new RegExp(`^Usage: berth ${name} `));
      for (const flag of ['--json', '--dry-run', '--yes', '--region', '--profile', '--timeout']) expect(out).toContain(flag);
    },
  );
});

describe('start-up', () => {
  test('berth --help loads no AWS SDK client', async () => {
    // GIVEN every SDK client fails to load
    const clients = ['ecr', 'ecs', 'elastic-load-balancing-v2', 'ssm'];
    await jest.isolateModulesAsync(async () => {
      for (const client of clients) {
        jest.doMock(`@aws-sdk/client-${client}`, () => {
          throw new Error(`@aws-sdk/client-${client} loaded`);
        });
      }
      const { runBerth: isolatedRun } = await import('../../_helpers/run-berth');

      // WHEN
      const { code, out } = await isolatedRun(['--help']);

      // THEN
      expect(code).toBe(EXIT.OK);
      expect(out).toContain('promote');
    });
  });
});

describe('the README', () => {
  test('its Releasing section shows every release command and the exit codes of berth --help', () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '../../../README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Releasing'), readme.indexOf('## Troubleshooting'));

    // THEN
    expect(section).toContain(EXIT_CODE_HELP);
    for (const name of ['promote', 'deploy', 'rollback', 'status', 'history']) expect(section).toContain(`npx berth ${name} `);
    for (const flag of ['--dry-run', '--yes', '--json', '--timeout', '--watch', '--latest', '--allow-prerelease', '--to'])
      expect(section).toContain(flag);
  });
});
