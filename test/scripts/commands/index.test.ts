import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMANDS } from '../../../scripts/commands';
import { EXIT } from '../../../scripts/core/errors';
import { EXIT_CODE_HELP } from '../../../scripts/main';
import { runBerth } from '../../_helpers/run-berth';

describe('the command list', () => {
  test.each(COMMANDS.map((definition) => [definition.name, definition] as const))(
    '%s loads the command bound to its definition',
    async (_name, definition) => {
      // WHEN
      const command = await definition.load();

      // THEN: one definition per command, so the list, the help and the command cannot disagree.
      expect({ ...command.definition, load: definition.load }).toEqual(definition);
      expect(command.name).toBe(definition.name);
    },
  );

  test.each([
    ['promote', ['--json', '--dry-run', '--yes', '--region', '--profile', '--timeout']],
    ['deploy', ['--json', '--dry-run', '--yes', '--region', '--profile', '--timeout']],
    ['rollback', ['--json', '--dry-run', '--yes', '--region', '--profile', '--timeout']],
    ['status', ['--json', '--region', '--profile', '--timeout']],
    ['history', ['--json', '--region', '--profile']],
  ])('berth %s --help prints the usage and the common options it uses, and exits 0', async (name, flags) => {
    // WHEN
    const { code, out } = await runBerth([name, '--help']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toMatch(new RegExp(`^Usage: berth ${name} `));
    for (const flag of flags) expect(out).toContain(flag);
  });

  test.each([
    ['status', ['--dry-run', '--yes']],
    ['history', ['--dry-run', '--yes', '--timeout']],
    ['instances', ['--dry-run', '--yes', '--timeout']],
    ['logs', ['--dry-run', '--yes', '--timeout']],
    ['dns', ['--dry-run', '--yes', '--timeout']],
    ['doctor', ['--dry-run', '--yes', '--timeout']],
  ])('read-only berth %s neither lists nor takes options it does not use', async (name, unused) => {
    // WHEN
    const help = await runBerth([name, '--help']);
    const runs = await Promise.all(unused.map((flag) => runBerth([name, 'live', flag, ...(flag === '--timeout' ? ['5m'] : [])])));

    // THEN
    for (const flag of unused) expect(help.out).not.toContain(flag);
    for (const [i, run] of runs.entries()) {
      expect(run.code).toBe(EXIT.USAGE);
      expect(run.err.trim()).toMatch(new RegExp(`^berth ${name}: unknown option ${unused[i]}; allowed: --`));
    }
  });
});

describe('start-up', () => {
  const clients = [
    'acm',
    'auto-scaling',
    'cloudwatch-logs',
    'ec2',
    'ec2-instance-connect',
    'ecr',
    'ecs',
    'elastic-load-balancing-v2',
    'route-53',
    'ssm',
  ];

  test.each([['--help'], ...COMMANDS.map((c) => [c.name, '--help']), ...COMMANDS.map((c) => [c.name, '-h'])])(
    'berth %s %s loads no AWS SDK client',
    async (...argv) => {
      // GIVEN every SDK client fails to load
      await jest.isolateModulesAsync(async () => {
        for (const client of clients) {
          jest.doMock(`@aws-sdk/client-${client}`, () => {
            throw new Error(`@aws-sdk/client-${client} loaded`);
          });
        }
        const { runBerth: isolatedRun } = await import('../../_helpers/run-berth');

        // WHEN
        const { code, out } = await isolatedRun(argv.filter((a): a is string => a !== undefined));

        // THEN
        expect(code).toBe(EXIT.OK);
        expect(out).toMatch(/^(berth: release|Usage: berth )/);
      });
    },
  );
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
