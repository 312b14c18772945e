import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { loadConfig, parseConfig } from '../../infra/config';
import { releaseTiming, releaseTimingSettings } from '../../infra/release-timing';
import { FOLLOW_ALLOWANCE_SECONDS, MINIMUM_FOLLOW_SECONDS } from '../../scripts/release/timing';
import { COMMANDS } from '../../scripts/commands';
import { EXAMPLE_CONFIG_FILE } from '../_helpers/synth';

const ROOT = path.join(__dirname, '..', '..');
/** A GitHub-hosted runner ends a job after 6 hours, also its default timeout-minutes (docs.github.com/en/actions/reference/actions-limits). */
const HOSTED_JOB_MINUTES = 360;
type RawConfig = { environments: Record<'pre' | 'live', Record<string, unknown>> };
const DIR = path.join(ROOT, 'examples', 'github-actions');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'));

interface Step {
  readonly name?: string;
  readonly run?: string;
  readonly uses?: string;
  readonly if?: string;
  readonly with?: Record<string, string>;
  readonly 'timeout-minutes'?: number | string;
}

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<string, { readonly 'timeout-minutes'?: number | string; readonly steps: readonly Step[] }>;
}

/**
 * The current major version of each action the examples use, checked against the actions' own releases:
 * each of these runs on Node.js 24 (GitHub removes Node.js 20 from its runners in September 2026).
 */
const CURRENT_MAJORS: Readonly<Record<string, string>> = {
  'actions/checkout': 'v6',
  'docker/setup-qemu-action': 'v4',
  'docker/setup-buildx-action': 'v4',
  'aws-actions/configure-aws-credentials': 'v6',
  'aws-actions/amazon-ecr-login': 'v2',
};

const workflows = files.map((file) => [file, parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Workflow] as const);
const stepsOf = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps);
const runLines = (workflow: Workflow) => stepsOf(workflow).flatMap((step) => (step.run ?? '').split('\n'));
const workflow = (file: string) => workflows.find(([name]) => name === file)![1];
/** The step that runs berth's own action (action.yml at the root of this repository). */
const berthAction = (w: Workflow) => stepsOf(w).filter((s) => s.uses && !Object.keys(CURRENT_MAJORS).includes(s.uses.split('@')[0]));

describe('the example workflows for the application repository', () => {
  test('there are two: deliver to pre, and release image', () => {
    expect(files.sort()).toEqual(['berth-deliver-to-pre.yml', 'berth-release-image.yml']);
  });

  test.each(workflows)('%s is valid YAML that asks for an OIDC token and assumes a role, with no AWS keys', (_file, w) => {
    // THEN
    expect(w.permissions['id-token']).toBe('write');
    const credentials = stepsOf(w).filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials.length).toBeGreaterThan(0);
    for (const step of credentials) {
      expect(step.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.BERTH_[A-Z_]+_ROLE_ARN \}\}$/);
      expect(step.with).not.toHaveProperty('aws-access-key-id');
    }
  });

  test.each(workflows)('%s uses the current major version of every action', (_file, w) => {
    // GIVEN
    const used = stepsOf(w).flatMap((s) => (s.uses ? [s.uses] : []));
    const known = used.filter((u) => u.split('@')[0] in CURRENT_MAJORS);

    // THEN
    expect(known.map((u) => u.split('@')[1])).toEqual(known.map((u) => CURRENT_MAJORS[u.split('@')[0]]));
  });

  test.each(workflows)('%s names only berth commands the CLI has', (_file, w) => {
    // GIVEN
    const known = COMMANDS.map((c) => c.name);
    const invoked = runLines(w).flatMap((line) => [...line.matchAll(/\bnpx\s+berth\s+([a-z][a-z-]*)/g)].map((m) => m[1]));

    // THEN
    for (const command of invoked) expect(known).toContain(command);
  });

  test.each(workflows)("%s: every run script passes shellcheck, as GitHub's bash -e runs it", (_file, w) => {
    // GIVEN
    const scripts = stepsOf(w).flatMap((s) => (s.run ? [s.run] : []));

    // WHEN
    const results = scripts.map((script) =>
      spawnSync('shellcheck', ['--shell=bash', '-'], { input: `set -e\n${script}`, encoding: 'utf8' }),
    );

    // THEN
    expect(results.map((r) => ({ status: r.status, findings: r.stdout }))).toEqual(scripts.map(() => ({ status: 0, findings: '' })));
  });

  test("the delivery branch reaches pre through berth's action, without cloning berth or npm ci", () => {
    // GIVEN
    const deliver = workflow('berth-deliver-to-pre.yml');
    const [deploy] = berthAction(deliver);

    // THEN the workflow runs on the example config's delivery branch
    expect(deliver.on).toEqual({ push: { branches: [loadConfig(EXAMPLE_CONFIG_FILE).github?.branch] } });
    // the deploy step is this repository's action at a ref, with a config path that exists in it
    expect(berthAction(deliver)).toHaveLength(1);
    expect(deploy.uses).toMatch(/^[\w.-]+\/[\w.-]+@[\w./-]+$/);
    expect(fs.existsSync(path.join(ROOT, deploy.with?.config ?? ''))).toBe(true);
    expect(Object.keys(deploy.with ?? {}).sort()).toEqual(['config']);
    // and nothing installs berth any more
    expect(runLines(deliver).join('\n')).not.toMatch(/npm (ci|install)|npx berth/);
    expect(stepsOf(deliver).map((s) => s.uses ?? '')).not.toContain('actions/setup-node');
  });

  test("the deploy follows berth's own timeout, derived from pre's release timing, and no fixed one that can be shorter", () => {
    // GIVEN
    const deliver = workflow('berth-deliver-to-pre.yml');
    const [deploy] = berthAction(deliver);

    // THEN berth chooses how long to follow (the action passes no --timeout without the input), and nothing cuts it short
    expect(deploy.with).not.toHaveProperty('timeout');
    expect(deploy['timeout-minutes']).toBeUndefined();
    for (const job of Object.values(deliver.jobs)) expect(job['timeout-minutes']).toBeUndefined();
  });

  /** pre's release with a change to its config. */
  const preWith = (release?: object) => {
    const raw = JSON.parse(fs.readFileSync(EXAMPLE_CONFIG_FILE, 'utf8')) as RawConfig;
    if (release) raw.environments.pre.release = release;
    return parseConfig(raw).environments.pre;
  };

  test.each([
    ['the example config', undefined, true],
    [
      'a linear release of 10 % steps and a gate',
      {
        strategy: { type: 'linear', stepPercent: 10, stepBakeMinutes: 10 },
        smoke: [{ path: '/health', status: 200 }],
        pauseTimeoutMinutes: 60,
      },
      true,
    ],
    // what the comment warns of: 30 step bakes of 12 minutes, or a gate that may hold pre for hours.
    ['a linear release of 3.3 % steps', { strategy: { type: 'linear', stepPercent: 3.3, stepBakeMinutes: 12 } }, false],
    ['a gate that waits 6 hours', { smoke: [{ path: '/health', status: 200 }], pauseTimeoutMinutes: 360 }, false],
  ])(
    "with %s, whether the deploy job's longest run (berth's follow timeout, then the gate's pause) fits GitHub's 360 minutes",
    (_case, release, fits) => {
      // GIVEN pre's release timing: its health checks, traffic steps, bake and draining, and the gate's pause
      const timing = releaseTiming(releaseTimingSettings(preWith(release)));

      // WHEN berth follows with its default timeout (the gate outside it) and the gate waits its whole pause
      const followMinutes = Math.max(MINIMUM_FOLLOW_SECONDS, timing.totalSeconds + FOLLOW_ALLOWANCE_SECONDS) / 60;
      const longestMinutes = followMinutes + timing.pauseSeconds / 60;

      // THEN the job that sets no timeout-minutes is cut short by the hosted runner's limit only where the comment warns
      expect(longestMinutes <= HOSTED_JOB_MINUTES).toBe(fits);
    },
  );

  test("the deploy job's comment says what its length follows: the traffic steps and the gate", () => {
    // GIVEN
    const text = fs.readFileSync(path.join(DIR, 'berth-deliver-to-pre.yml'), 'utf8');

    // THEN
    expect(text).toContain('the traffic steps of a canary or linear release');
    expect(text).toContain('The smoke-test gate comes on top');
    expect(text).toContain(`${HOSTED_JOB_MINUTES} minutes, is also the limit of a hosted runner`);
  });

  test('no workflow runs a live release', () => {
    // GIVEN every command line the workflows run
    const executed = workflows
      .flatMap(([, w]) => runLines(w))
      .map((l) => l.trim())
      .filter((l) => /^(npx )?berth\b/.test(l));

    // THEN no berth command at all; berth's action (deploy pre) runs in the delivery workflow only
    expect(executed).toEqual([]);
    expect(workflows.map(([file, w]) => [file, berthAction(w).length])).toEqual([
      ['berth-deliver-to-pre.yml', 1],
      ['berth-release-image.yml', 0],
    ]);
  });

  test('the release workflow runs on published releases and gives the tag the image built from its commit', () => {
    // GIVEN
    const release = workflow('berth-release-image.yml');
    const steps = stepsOf(release);
    const retag = steps.find((s) => s.run?.includes('imagetools create'))!;
    const build = steps.find((s) => s.run?.includes('docker buildx build'))!;

    // THEN
    expect(release.on).toEqual({ release: { types: ['published'] } });
    // re-tag the sha-<commit> image the delivery workflow pushed (same manifest, same digest) ...
    expect(retag.run).toContain('--tag "$REPOSITORY:$TAG" "$REPOSITORY:sha-$GITHUB_SHA"');
    expect(retag.if).toBe("steps.images.outputs.built != '' && steps.images.outputs.release == ''");
    // ... and build only a commit that was never built, as both sha-<commit> and the release tag.
    expect(build.if).toBe("steps.images.outputs.built == ''");
    expect(build.run).toContain('--tag "$REPOSITORY:sha-$GITHUB_SHA" --tag "$REPOSITORY:$TAG"');
    expect(steps.at(-1)?.run).toContain('berth promote would refuse it');
  });

  test('the delivery workflow pushes sha-<commit>, the image promote traces a release to', () => {
    // THEN
    expect(runLines(workflow('berth-deliver-to-pre.yml')).join('\n')).toContain(
      '--tag "$REPOSITORY:master" --tag "$REPOSITORY:sha-$GITHUB_SHA"',
    );
  });
});
