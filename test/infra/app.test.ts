import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exampleRawConfig } from '../_helpers/synth';

const ROOT = path.join(__dirname, '..', '..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

/** Runs the CDK app entry as `cdk synth` does: context in CDK_CONTEXT_JSON, output to CDK_OUTDIR. */
function runApp(env: Record<string, string>) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-app-'));
  const result = spawnSync(TSX, ['infra/app.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, CDK_OUTDIR: outdir, CDK_VALIDATION: 'false', ...env },
  });
  const stacks = fs.existsSync(path.join(outdir, 'manifest.json'))
    ? fs
        .readdirSync(outdir)
        .filter((f) => f.endsWith('.template.json'))
        .sort()
    : [];
  fs.rmSync(outdir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, stacks };
}

function writeConfig(change: (raw: Record<string, unknown>) => void): string {
  const raw = exampleRawConfig();
  change(raw);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-config-')), 'test.json');
  fs.writeFileSync(file, JSON.stringify(raw));
  return file;
}

describe('the CDK app entry point', () => {
  test('synthesizes the three stacks of config/example.json by default and prints a summary', () => {
    // WHEN
    const { status, stderr, stacks } = runApp({});

    // THEN
    expect(status).toBe(0);
    expect(stacks).toEqual(['berth-live.template.json', 'berth-pre.template.json', 'berth-shared.template.json']);
    expect(stderr).toContain('berth-live   https://be.example.com');
    // each environment's release arithmetic, in the words of issue 13.
    expect(stderr).toContain('live: 2 tasks per t4g.medium (2 network interfaces for tasks), a release needs 4, max 4 instances hold 8\n');
    expect(stderr).toContain('pre: 2 tasks per t3.small (2 network interfaces for tasks), a release needs 2, max 2 instances hold 4\n');
    expect(stderr).toContain('(config: config/example.json)');
  });

  test('takes the config from -c config=… (CDK context), which wins over BERTH_CONFIG', () => {
    // GIVEN
    const file = writeConfig((raw) => {
      raw.appName = 'shop';
    });

    // WHEN
    const { status, stacks } = runApp({ CDK_CONTEXT_JSON: JSON.stringify({ config: file }), BERTH_CONFIG: 'config/missing.json' });

    // THEN
    expect(status).toBe(0);
    expect(stacks).toEqual(['shop-live.template.json', 'shop-pre.template.json', 'shop-shared.template.json']);
  });

  test('a bad config stops synthesis with exit 1 and names each bad field', () => {
    // GIVEN
    const file = writeConfig((raw) => {
      (raw.environments as Record<string, Record<string, unknown>>).live.instanceType = 't3.gigantic';
    });

    // WHEN
    const { status, stderr, stacks } = runApp({ BERTH_CONFIG: file });

    // THEN
    expect(status).toBe(1);
    expect(stacks).toEqual([]);
    expect(stderr).toContain(`invalid berth config ${file}:`);
    expect(stderr).toContain('environments.live.instanceType: "t3.gigantic" is not an EC2 instance type in berth\'s table');
    expect(stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
