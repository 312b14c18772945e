import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// @cloud-copilot/iam-simulate and its @cloud-copilot siblings are AGPL-3.0: berth may use them to test its
// policies, never ship them. berth itself is Apache-2.0.
const ROOT = path.join(__dirname, '..', '..');
const AGPL_TEST_TOOLS = /@cloud-copilot\//;
// a build of the CLI takes seconds on 2 cores; the timeout is the building test's own, as a file's
// jest.setTimeout would reach every file of its group (test/_groups/groups.cjs).
const BUILD_TIMEOUT = 60_000;

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
}
interface PackageLock {
  readonly packages: Record<string, { readonly version?: string; readonly dev?: boolean }>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as PackageLock;

describe('the AGPL policy evaluator stays a test tool', () => {
  test('it is an exact-version devDependency and no dependency', () => {
    // THEN
    expect(Object.keys(pkg.dependencies ?? {}).filter((name) => AGPL_TEST_TOOLS.test(name))).toEqual([]);
    expect(pkg.devDependencies?.['@cloud-copilot/iam-simulate']).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('no runtime dependency pulls it in: every @cloud-copilot package in the lock file is dev-only', () => {
    // GIVEN
    const installed = Object.entries(lock.packages).filter(([where]) => AGPL_TEST_TOOLS.test(where));

    // THEN
    expect(installed.length).toBeGreaterThan(0);
    expect(installed.filter(([, entry]) => entry.dev !== true).map(([where]) => where)).toEqual([]);
  });

  test(
    'the CLI bundle holds none of it',
    () => {
      // GIVEN the CLI built as npm run build builds it, into a directory of its own
      const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dist-'));
      const built = spawnSync(process.execPath, ['scripts/build.mjs', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8' });
      expect(built.stderr).toBe('');
      expect(built.status).toBe(0);

      // WHEN
      const files = fs.readdirSync(outdir);
      const offending = files.filter((file) => /cloud-copilot|iam-simulate/.test(fs.readFileSync(path.join(outdir, file), 'utf8')));

      // THEN
      expect(files).toContain('berth.mjs');
      expect(offending).toEqual([]);
    },
    BUILD_TIMEOUT,
  );

  test('the committed GitHub Action bundle holds none of it', () => {
    // THEN
    expect(fs.readFileSync(path.join(ROOT, 'action', 'deploy-pre.mjs'), 'utf8')).not.toMatch(/cloud-copilot|iam-simulate/);
  });
});
