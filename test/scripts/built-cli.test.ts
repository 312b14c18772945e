import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { EXIT } from '../../scripts/core/errors';
import { type BadEndpoint, htmlEndpoint, refusedEndpoint, stalledEndpoint } from '../_helpers/bad-endpoints';
import { FAKE_CALLER_ARN, startFakeAwsEndpoint } from '../_helpers/fake-aws-endpoint';
import { exampleManifest } from '../_helpers/manifest';
import { writeConfig } from '../_helpers/release-world';

// the compiled CLI as operators run it (bin/berth.mjs -> dist/), against a local endpoint through
// AWS_ENDPOINT_URL: this covers the bundle, the SDK's real serializers and the SIGINT wiring.
const ROOT = path.join(__dirname, '..', '..');
jest.setTimeout(30_000);

function berth(
  argv: string[],
  endpoint: string | undefined,
  config: string,
  pollMs: number,
  extra: { env?: NodeJS.ProcessEnv; node?: string[] } = {},
) {
  const child = spawn(process.execPath, [...(extra.node ?? []), 'bin/berth.mjs', ...argv], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      ...(endpoint ? { AWS_ENDPOINT_URL: endpoint } : {}),
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      BERTH_CONFIG: config,
      BERTH_POLL_INTERVAL_MS: String(pollMs),
      ...extra.env,
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
  test.concurrent('reads the config through the definitions synth uses, and bundles no aws-cdk-lib', async () => {
    // GIVEN a build of its own, so no chunk of an older build counts (esbuild marks where each module's code begins with its path)
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-'));
    // spawned, not spawnSync: the other tests' endpoints answer from this process while it builds.
    const status = await new Promise<number | null>((resolve) =>
      spawn(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: ROOT, stdio: 'ignore' }).on('close', resolve),
    );
    expect(status).toBe(0);
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

  test.concurrent('status and promote work end to end through AWS_ENDPOINT_URL', async () => {
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
      expect(status.out).toContain('scaling     fixed at 2 tasks (no autoScaling in the config)');
      expect(status.out).toMatch(/blue +berth-live-blue +1\/1/);
      expect(promote.err).not.toContain('Warning');
      expect(promote.code).toBe(EXIT.OK);
      expect(promote.out).toContain('recorded v1.4.0 in /berth/berth/live/image-tag (version 3)');
      expect(promote.out).toContain('pre-flight (berth verify): 7 of 7 checks ok');
      // bake 1m from ECS, 10 s x 2 checks and 30 s draining from the target groups (over the query protocol).
      expect(promote.out).toContain(
        '  timeout    30m00s (new target healthy 20s + bake 1m00s + draining 30s + 20m00s to place tasks, at least 30m',
      );
      expect(aws.registrations).toEqual([
        {
          family: 'berth-live',
          // the role and the secret the pre-flight checked are kept as they run.
          executionRoleArn: 'arn:aws:iam::123456789012:role/execution',
          containerDefinitions: [
            {
              name: 'app',
              image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth:v1.4.0',
              memory: 512,
              secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:ssm:eu-west-1:123456789012:parameter/berth/db-password' }],
            },
          ],
          // who ran it, asked of STS over the query protocol.
          tags: [
            { key: 'app', value: 'berth' },
            { key: 'berth:started-by', value: FAKE_CALLER_ARN },
          ],
        },
      ]);
      expect(aws.operations.indexOf('PutParameter')).toBeGreaterThan(aws.operations.lastIndexOf('DescribeServiceDeployments'));
    } finally {
      await aws.close();
    }
  });

  test.concurrent('Ctrl-C while following exits 130, leaves the deployment running and records nothing', async () => {
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

describe('the compiled berth CLI on a network that fails it', () => {
  const WRITES = ['RegisterTaskDefinition', 'UpdateService', 'PutParameter', 'DeregisterTaskDefinition'];
  const CHECK = 'check the network, VPN and proxy, and AWS_ENDPOINT_URL if it is set';
  // short timeouts keep the test fast; the defaults' bound is asserted in test/scripts/aws/clients.test.ts.
  const FAST = { BERTH_AWS_CONNECT_TIMEOUT_MS: '300', BERTH_AWS_REQUEST_TIMEOUT_MS: '500' };

  test.concurrent.each([
    ['a stalled endpoint', stalledEndpoint, (url: string) => `no answer from ECR at ${url} within 0.5s (2 attempt(s)); ${CHECK}`],
    [
      'a refused connection',
      refusedEndpoint,
      (url: string) => `cannot reach ECR at ${url}: the connection was refused (2 attempt(s)); ${CHECK}`,
    ],
    [
      'an HTML page where JSON is expected',
      () => htmlEndpoint(502),
      (url: string) =>
        `ECR at ${url} answered with a web page (HTTP 502), not as AWS does: a proxy, captive portal or wrong AWS_ENDPOINT_URL is in the way; ${CHECK}`,
    ],
  ])('%s ends promote with one line naming service and endpoint, exit 7, nothing written', async (_case, start, message) => {
    // GIVEN every service answers but ECR, which promote asks for the image before its first write
    const aws = await startFakeAwsEndpoint(exampleManifest('live'));
    const ecr: BadEndpoint = await start();
    try {
      // WHEN
      const started = Date.now();
      const { code, out, err } = await berth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], aws.url, writeConfig(false), 1, {
        env: { ...FAST, AWS_ENDPOINT_URL_ECR: ecr.url },
      }).done;

      // THEN
      expect(err).toBe(`berth promote: ${message(ecr.url)}\n`);
      expect(code).toBe(EXIT.UNREACHABLE);
      expect(out).not.toContain('registered');
      expect(aws.operations).toContain('GetParameter');
      expect(aws.operations.filter((o) => WRITES.includes(o))).toEqual([]);
      expect(ecr.connections()).toBeLessThanOrEqual(2);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await ecr.close();
      await aws.close();
    }
  });

  test.concurrent('a stalled endpoint behind every service ends status within the timeouts with one line', async () => {
    // GIVEN
    const stalled = await stalledEndpoint();
    try {
      // WHEN
      const started = Date.now();
      const { code, err } = await berth(['status', 'live'], stalled.url, writeConfig(false), 1, { env: FAST }).done;
      const seconds = (Date.now() - started) / 1000;

      // THEN: two attempts of 0.5 s each, and a process start.
      expect(err).toBe(`berth status: no answer from SSM at ${stalled.url} within 0.5s (2 attempt(s)); ${CHECK}\n`);
      expect(code).toBe(EXIT.UNREACHABLE);
      expect(seconds).toBeLessThan(6);
      expect(stalled.connections()).toBe(2);
    } finally {
      await stalled.close();
    }
  });

  test.concurrent("a name that does not resolve ends status with one line naming AWS's host", async () => {
    // WHEN: no AWS_ENDPOINT_URL, so SSM is at its own name, and the preload makes every lookup fail.
    const { code, err } = await berth(['status', 'live'], undefined, writeConfig(false), 1, {
      env: FAST,
      node: ['--import', pathToFileURL(path.join(ROOT, 'test/_helpers/no-dns.mjs')).href],
    }).done;

    // THEN
    expect(err).toBe(
      'berth status: cannot reach SSM at https://ssm.eu-west-1.amazonaws.com: the name ssm.eu-west-1.amazonaws.com does not resolve (DNS); check the network, VPN, --region, and AWS_ENDPOINT_URL if it is set\n',
    );
    expect(code).toBe(EXIT.UNREACHABLE);
  });

  test.concurrent('an HTML page where XML is expected is not read as an empty answer', async () => {
    // GIVEN the load balancer API answers with a portal page, which its XML parser would read as no targets
    const aws = await startFakeAwsEndpoint(exampleManifest('live'));
    const page = await htmlEndpoint(200);
    try {
      // WHEN
      const { code, out, err } = await berth(['status', 'live', '--json'], aws.url, writeConfig(false), 1, {
        env: { ...FAST, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: page.url },
      }).done;

      // THEN
      expect(err).toBe(
        `berth status: ElasticLoadBalancingV2 at ${page.url} answered with a web page (HTTP 200), not as AWS does: a proxy, captive portal or wrong AWS_ENDPOINT_URL is in the way; ${CHECK}\n`,
      );
      expect(code).toBe(EXIT.UNREACHABLE);
      expect(JSON.parse(out)).toEqual({ error: expect.stringContaining('answered with a web page'), exitCode: EXIT.UNREACHABLE });
    } finally {
      await page.close();
      await aws.close();
    }
  });

  test.concurrent('doctor stops with the one line, not a warning per link', async () => {
    // GIVEN SSM answers (the manifest), no other service does; no public resolver is asked
    const aws = await startFakeAwsEndpoint(exampleManifest('live'));
    const refused = await refusedEndpoint();
    try {
      // WHEN
      const services = ['ACM', 'AUTO_SCALING', 'EC2', 'ECS', 'ELASTIC_LOAD_BALANCING_V2', 'ROUTE_53'];
      const { code, err } = await berth(['doctor', 'live', '--skip-public-dns'], aws.url, writeConfig(false), 1, {
        env: { ...FAST, ...Object.fromEntries(services.map((s) => [`AWS_ENDPOINT_URL_${s}`, refused.url])) },
      }).done;

      // THEN
      // the progress line, then the one error line: no finding per link.
      expect(err.trim().split('\n')).toEqual(['checking be.example.com (live) link by link…', expect.stringMatching(/^berth doctor: /)]);
      expect(err).toMatch(new RegExp(`\nberth doctor: cannot reach [A-Za-z0-9]+ at ${refused.url}: the connection was refused`));
      expect(code).toBe(EXIT.UNREACHABLE);
    } finally {
      await aws.close();
    }
  });
});
