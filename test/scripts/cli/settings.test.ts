import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configProblems } from '../../_helpers/config';
import { EXAMPLE_CONFIG_FILE, exampleRawConfig } from '../../_helpers/synth';
import { UsageError } from '../../../scripts/core/errors';
import { readSettings } from '../../../scripts/cli/settings';

/** Writes a config file and returns its path. */
function configFile(raw: unknown): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-settings-')), 'config.json');
  fs.writeFileSync(file, typeof raw === 'string' ? raw : JSON.stringify(raw));
  return file;
}

/** The example config with some fields changed. */
function example(change: (raw: Record<string, unknown>) => void): Record<string, unknown> {
  const raw = exampleRawConfig();
  change(raw);
  return raw;
}

/** The message readSettings refuses a config with. */
function refusal(raw: unknown): string {
  const file = configFile(raw);
  try {
    readSettings(file, {});
  } catch (err) {
    if (err instanceof UsageError) return err.message.replace(file, '<file>');
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('the CLI reads the config through the same definitions as cdk synth', () => {
  test('the example config: app, account, region and GitHub repository', () => {
    // WHEN
    const settings = readSettings(undefined, { BERTH_CONFIG: EXAMPLE_CONFIG_FILE });

    // THEN
    expect(settings).toEqual({
      configFile: EXAMPLE_CONFIG_FILE,
      appName: 'berth',
      account: '123456789012',
      region: 'eu-west-1',
      githubRepository: 'example-org/backend',
    });
  });

  test.each<[string, (raw: Record<string, unknown>) => void]>([
    [
      'an owner with an underscore, which the CLI used to accept',
      (raw) => ((raw.github as Record<string, unknown>).repository = 'my_org/backend'),
    ],
    ['an app name ECR refuses', (raw) => (raw.appName = 'acme--api')],
    ['a region of the wrong shape', (raw) => (raw.region = 'Europe')],
    ['a branch git refuses', (raw) => ((raw.github as Record<string, unknown>).branch = 'a..b')],
  ])('refuses %s with synth’s own line', (_title, change) => {
    // GIVEN
    const raw = example(change);

    // WHEN
    const message = refusal(raw);

    // THEN
    expect(configProblems(raw)).toHaveLength(1);
    expect(message).toBe(`config <file>: ${configProblems(raw)[0]}`);
  });

  test('a misspelt field the CLI needs is the one line of the unknown field', () => {
    // GIVEN
    const raw = example((r) => {
      r.regin = r.region;
      delete r.region;
    });

    // THEN
    expect(refusal(raw)).toMatch(/^config <file>: regin: unknown field; did you mean region\? \(allowed fields are: .*\)$/);
  });

  test('every problem of the fields it needs, one per line', () => {
    // GIVEN
    const raw = example((r) => {
      r.appName = 'A';
      r.region = 5;
    });

    // THEN
    expect(refusal(raw).split('\n')).toEqual([
      'config <file>:',
      expect.stringMatching(/^ {2}- appName: "A" is not valid; allowed: 3 to 20/),
      expect.stringMatching(/^ {2}- region: 5 is not valid; allowed: an AWS region/),
    ]);
  });

  test('a problem in a field the CLI does not use does not stop a command', () => {
    // GIVEN a config synth refuses (a bake time above a day, an unknown field, no account)
    const raw = example((r) => {
      (r.environments as Record<string, Record<string, unknown>>).live.bakeMinutes = 5000;
      r.colour = 'blue';
      delete r.account;
    });

    // WHEN
    const settings = readSettings(configFile(raw), {});

    // THEN
    expect(configProblems(raw)).toHaveLength(3);
    expect(settings.appName).toBe('berth');
  });

  test('a file that is not JSON says so in one line, and how to name another', () => {
    // THEN
    expect(refusal('{ "appName": ')).toMatch(/^cannot read config <file>: .*JSON.*; pass --config <file> or set BERTH_CONFIG$/);
  });
});
