import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { EXIT } from '../../../scripts/core/errors';
import { FAKE_CALLER_ARN, startFakeAwsEndpoint } from '../../_helpers/fake-aws-endpoint';
import { exampleManifest } from '../../_helpers/manifest';

// the GitHub Action as GitHub runs it: action.yml at the root of this repository, and the one committed file
// it names, which must be what the sources build today.
const ROOT = path.join(__dirname, '..', '..', '..');
const BUNDLE = path.join(ROOT, 'action', 'deploy-pre.mjs');
/** The budget for the one file every workflow run downloads with the action (measured: about 1.04 MiB). */
const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;
// building and running the bundle take seconds on 2 cores; the timeout is those tests' own, as a file's
// jest.setTimeout would reach every file of its group (test/_groups/groups.cjs).
const BUILD_TIMEOUT = 60_000;

interface ActionMetadata {
  readonly inputs: Record<string, { readonly required?: boolean; readonly default?: string }>;
  readonly runs: { readonly using: string; readonly main: string };
}

describe('the GitHub Action', () => {
  const metadata = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as ActionMetadata;

  test('action.yml runs the committed bundle on GitHub Node.js 24, with the inputs the entry reads', () => {
    // THEN
    expect(metadata.runs).toEqual({ using: 'node24', main: 'action/deploy-pre.mjs' });
    expect(fs.existsSync(path.join(ROOT, metadata.runs.main))).toBe(true);
    expect(metadata.inputs.config.required).toBe(true);
    // no default: without the input, berth follows for as long as pre's own release timing takes.
    expect(metadata.inputs.timeout.required).toBe(false);
    expect(metadata.inputs.timeout).not.toHaveProperty('default');
  });

  test(
    'the committed bundle is what the sources build now (else: npm run build:action and commit it)',
    () => {
      // GIVEN
      const fresh = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-action-build-')), 'deploy-pre.mjs');

      // WHEN
      const built = spawnSync(process.execPath, ['scripts/build-action.mjs', '--outfile', fresh], { cwd: ROOT, encoding: 'utf8' });

      // THEN
      expect(built.stderr).toBe('');
      const stale = !fs.readFileSync(fresh).equals(fs.readFileSync(BUNDLE));
      if (stale) throw new Error('action/deploy-pre.mjs is stale: run npm run build:action and commit action/deploy-pre.mjs');
    },
    BUILD_TIMEOUT,
  );

  test('the bundle is one minified file within its size budget', () => {
    // THEN
    expect(fs.statSync(BUNDLE).size).toBeLessThan(MAX_BUNDLE_BYTES);
    expect(fs.readdirSync(path.dirname(BUNDLE))).toEqual(['deploy-pre.mjs']);
  });

  test(
    'runs on its own, from a checkout with no node_modules, and deploys pre through AWS_ENDPOINT_URL',
    async () => {
      // GIVEN the action and a config laid out as GitHub checks them out, nothing else
      const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-action-checkout-'));
      fs.mkdirSync(path.join(checkout, 'action'));
      fs.mkdirSync(path.join(checkout, 'config'));
      fs.copyFileSync(BUNDLE, path.join(checkout, 'action', 'deploy-pre.mjs'));
      fs.writeFileSync(path.join(checkout, 'config', 'acme.json'), JSON.stringify({ appName: 'berth', region: 'eu-west-1' }));
      const aws = await startFakeAwsEndpoint(exampleManifest('pre'));
      try {
        // WHEN
        const child = spawn(process.execPath, [path.join(checkout, 'action', 'deploy-pre.mjs')], {
          cwd: os.tmpdir(),
          env: {
            PATH: process.env.PATH,
            INPUT_CONFIG: 'config/acme.json',
            INPUT_TIMEOUT: '2m',
            AWS_ENDPOINT_URL: aws.url,
            AWS_ACCESS_KEY_ID: 'test',
            AWS_SECRET_ACCESS_KEY: 'test',
            AWS_CONFIG_FILE: '/dev/null',
            AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
            BERTH_POLL_INTERVAL_MS: '1',
            GITHUB_SERVER_URL: 'https://github.com',
            GITHUB_REPOSITORY: 'acme/infra',
            GITHUB_RUN_ID: '777',
          },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        const code = await new Promise<number | null>((resolve) => child.on('close', resolve));

        // THEN
        expect(err).not.toMatch(/berth deploy:|Error/);
        expect(code).toBe(EXIT.OK);
        expect(out).toContain('pre now runs master (berth-pre:8');
        // the bundle asks STS who runs it, and records it on the revision with the workflow run.
        expect(aws.registrations).toEqual([
          expect.objectContaining({
            family: 'berth-pre',
            tags: expect.arrayContaining([
              { key: 'berth:started-by', value: `${FAKE_CALLER_ARN} https://github.com/acme/infra/actions/runs/777` },
            ]) as unknown,
          }),
        ]);
      } finally {
        await aws.close();
      }
    },
    BUILD_TIMEOUT,
  );
});
