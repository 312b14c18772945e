import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { currentTestFile } from './each-file';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- jest.config.js reads the same CommonJS modules
const groups = require('../_groups/groups.cjs') as {
  TEST_ROOT: string;
  STANDALONE: string[];
  GROUPS: { name: string }[];
  ESTIMATED_SECONDS: Record<string, number>;
  testFiles(): string[];
  filesOf(name: string): string[];
  groupedRun(): string[];
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { namesTests } = require('../_groups/jest-config.cjs') as { namesTests(argv: string[]): boolean };

const grouped = () => groups.GROUPS.flatMap((group) => groups.filesOf(group.name));
const read = (file: string) => fs.readFileSync(path.join(groups.TEST_ROOT, file), 'utf8');

describe('the grouped run of the whole suite', () => {
  test('runs every test file once: on its own or in exactly one group', () => {
    // WHEN
    const runs = [...groups.STANDALONE, ...grouped()];

    // THEN
    expect([...runs].sort()).toEqual(groups.testFiles());
    expect(new Set(runs).size).toBe(runs.length);
    expect(groups.testFiles()).toEqual(expect.arrayContaining(['infra/config.test.ts', 'scripts/commands/promote.test.ts']));
  });

  test('has one jest file per group, and each is in the run', () => {
    // WHEN
    const files = fs.readdirSync(path.join(groups.TEST_ROOT, '_groups')).filter((name) => name.endsWith('.test.ts'));

    // THEN
    expect(files.sort()).toEqual(groups.GROUPS.map((group) => `${group.name}.test.ts`).sort());
    expect(groups.groupedRun()).toEqual(expect.arrayContaining(files.map((name) => `_groups/${name}`)));
    for (const file of groups.groupedRun()) expect(fs.existsSync(path.join(groups.TEST_ROOT, file))).toBe(true);
  });

  test('no grouped file sets a jest option at its top level, where it would reach the files after it', () => {
    // WHEN
    const offending = grouped().filter((file) => /^jest\./m.test(read(file)));

    // THEN
    expect(offending).toEqual([]);
  });

  test("no grouped file keeps snapshots: a group would write them under its own name, not the file's", () => {
    expect(grouped().filter((file) => /\.toMatchSnapshot\(/.test(read(file)))).toEqual([]);
  });

  test('has an estimate for each of its files, and starts the longest first', () => {
    // WHEN
    const seconds = groups.groupedRun().map((file) => groups.ESTIMATED_SECONDS[file]);

    // THEN
    expect(seconds.every((s) => typeof s === 'number' && s > 0)).toBe(true);
    expect(seconds).toEqual([...seconds].sort((a, b) => b - a));
  });

  test.each([
    [[], false],
    [['--silent'], false],
    [['-t', 'capacity'], false],
    [['--outputFile', '/tmp/jest.json', '--json'], false],
    [['--maxWorkers', '2'], false],
    [['test/infra/config.test.ts'], true],
    [['-u', 'test/infra/snapshot.test.ts'], true],
    [['test'], true],
    [['--testPathPattern', 'infra'], true],
    [['--watch'], true],
    [['--onlyChanged'], true],
  ])('jest %j runs files on their own: %s', (argv, alone) => {
    expect(namesTests(argv)).toBe(alone);
  });
});

describe('a file in a group', () => {
  test('is the test file running now, not the group', () => {
    expect(currentTestFile()).toMatch(/[/\\]_helpers[/\\]groups\.test\.ts$/);
  });

  test('gets the per-test checks of a helper that an earlier file of its group loaded first', () => {
    // WHEN: a group whose first file loads the AWS mocks and whose second sends a call it did not script
    const ROOT = path.join(__dirname, '..', '..');
    const run = spawnSync(
      process.execPath,
      [
        'node_modules/.bin/jest',
        '--ci',
        '--json',
        '--testMatch',
        '**/fixtures/group/group.fixture.ts',
        '--testPathIgnorePatterns=/node_modules/',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, AWS_CONFIG_FILE: '/dev/null' } },
    );

    // THEN: the second file's test fails with the mocks' check, the first passes
    const report = JSON.parse(run.stdout) as {
      testResults: { assertionResults: { ancestorTitles: string[]; status: string; failureMessages: string[] }[] }[];
    };
    const results = report.testResults.flatMap((file) => file.assertionResults);
    expect(results.map((r) => [r.ancestorTitles[0], r.status])).toEqual([
      ['first.fixture.ts', 'passed'],
      ['second.fixture.ts', 'failed'],
    ]);
    expect(results[1].failureMessages.join('\n')).toContain('the test sent AWS calls it did not script:\n  aws.ssm GetParameterCommand');
  });
});
