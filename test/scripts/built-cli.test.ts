import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../scripts/core/errors';
import { startFakeAwsEndpoint } from '../_helpers/fake-aws-endpoint';
import { exampleManifest } from '../_helpers/manifest';
import { writeConfig } from '../_helpers/release-world';

// the compiled CLI as operators run it (bin/berth.mjs -> dist/), against a local endpoint through
// AWS_ENDPOINT_URL: this covers the bundle, the SDK's real serializers and the SIGINT wiring.
const ROOT = path.join(__dirname, '..', '..');
jest.setTimeout(30_000);

function berth(argv: string[], endpoint: string, config: string, pollMs: number) {
  const child = spawn(process.execPath, ['bin/berth.mjs', ...argv], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      BERTH_CONFIG: config,
      BERTH_POLL_INTERVAL_MS: String(pollMs),
    },
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, out, err })),
  );
  return { child, done, stderr: () => err };
}

beforeAll(() => {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`build failed: ${built.stderr}`);
});

describe('the compiled berth CLI', () => {
  test('reads the config through the definitions synth uses, and bundles no aws-cdk-lib', () => {
    // GIVEN a build of its own, so no chunk of an older build counts (esbuild marks where each module's code begins with its path)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-'));
    const built = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8' });
    expect(built.status).toBe(0);
    const bundle = fs
      .readdirSync(outdir)
      .filter((file) => file.endsWith('.mjs'))
      .map((file) => fs.readFileSync(path.join(outdir, file), 'utf8'))
      .join('\n');

    // THEN
    expect(bundle).toContain('// infra/config/schema.ts');
    expect(bundle).toContain('// infra/config/check.ts');
    expect(bundle).not.toMatch(/node_modules\/aws-cdk-lib\//);
    expect(bundle).not.toContain('// infra/config/aws-rules.ts');
  });

  test('status and promote work end to end through AWS_ENDPOINT_URL', async () => {
    // GIVEN
    const aws = await startFakeAwsEndpoint(exampleManifest('live'));
    const config = writeConfig(false);
    try {
      // WHEN
      const status = await berth(['status', 'live'], aws.url, config, 1).done;
      const promote = await berth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], aws.url, config, 1).done;

      // THEN
      expect(status.code).toBe(EXIT.OK);
      expect(status.out).toContain('revision    berth-live:7');
      expect(status.out).toMatch(/blue +berth-live-blue +1\/1/);
      expect(promote.err).not.toContain('Warning');
      expect(promote.code).toBe(EXIT.OK);
      expect(promote.out).toContain('recorded v1.4.0 in /berth/berth/live/image-tag (version 3)');
      expect(aws.registrations).toEqual([
        {
          family: 'berth-live',
          containerDefinitions: [{ name: 'app', image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth:v1.4.0', memory: 512 }],
          tags: [{ key: 'app', value: 'berth' }],
        },
      ]);
      expect(aws.operations.indexOf('PutParameter')).toBeGreaterThan(aws.operations.lastIndexOf('DescribeServiceDeployments'));
    } finally {
      await aws.close();
    }
  });

  test('Ctrl-C while following exits 130, leaves the deployment running and records nothing', async () => {
    // GIVEN a deployment that never ends
    const aws = await startFakeAwsEndpoint(exampleManifest('live'), Infinity);
    const config = writeConfig(false);
    try {
      const run = berth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], aws.url, config, 60_000);

      // WHEN the first progress line is out, the operator presses Ctrl-C
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (run.stderr().includes('stage BAKE_TIME')) {
            clearInterval(timer);
            resolve();
          }
        }, 20);
      });
      run.child.kill('SIGINT');
      const { code, err } = await run.done;

      // THEN
      expect(code).toBe(EXIT.INTERRUPTED);
      expect(err).toContain(
        'stopped following; deployment new goes on. Watch it with berth status live --watch; run berth promote live --tag v1.4.0 again',
      );
      expect(aws.operations).toContain('UpdateService');
      expect(aws.operations).not.toContain('PutParameter');
    } finally {
      await aws.close();
    }
  });
});
