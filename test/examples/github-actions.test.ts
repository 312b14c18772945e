import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { COMMANDS } from '../../scripts/commands';

const DIR = path.join(__dirname, '..', '..', 'examples', 'github-actions');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.yml'));

interface Workflow {
  readonly on: Record<string, unknown>;
  readonly permissions: Record<string, string>;
  readonly jobs: Record<
    string,
    {
      readonly steps: readonly {
        readonly run?: string;
        readonly uses?: string;
        readonly if?: string;
        readonly with?: Record<string, string>;
      }[];
    }
  >;
}

const workflows = files.map((file) => [file, parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Workflow] as const);
const runLines = (workflow: Workflow) =>
  Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ?? '').split('\n')));

describe('the example workflows for the application repository', () => {
  test('there are two: master to pre, and release image', () => {
    expect(files.sort()).toEqual(['berth-master-to-pre.yml', 'berth-release-image.yml']);
  });

  test.each(workflows)('%s is valid YAML that asks for an OIDC token and assumes a role, with no AWS keys', (_file, workflow) => {
    // THEN
    expect(workflow.permissions['id-token']).toBe('write');
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const credentials = steps.filter((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials'));
    expect(credentials.length).toBeGreaterThan(0);
    for (const step of credentials) {
      expect(step.with?.['role-to-assume']).toMatch(/^\$\{\{ vars\.BERTH_[A-Z_]+_ROLE_ARN \}\}$/);
      expect(step.with).not.toHaveProperty('aws-access-key-id');
    }
  });

  test.each(workflows)('%s names only berth commands the CLI has', (_file, workflow) => {
    // GIVEN
    const known = COMMANDS.map((c) => c.name);
    const invoked = runLines(workflow).flatMap((line) => [...line.matchAll(/\bnpx\s+berth\s+([a-z][a-z-]*)/g)].map((m) => m[1]));

    // THEN
    for (const command of invoked) expect(known).toContain(command);
  });

  test('master reaches pre on its own, and no workflow runs a live release', () => {
    // GIVEN
    const [, master] = workflows.find(([file]) => file === 'berth-master-to-pre.yml')!;
    const executed = workflows
      .flatMap(([, w]) => runLines(w))
      .map((l) => l.trim())
      .filter((l) => l.startsWith('npx berth'));

    // THEN
    expect(master.on).toEqual({ push: { branches: ['master'] } });
    expect(executed).toEqual(['npx berth deploy pre --yes --timeout 40m']);
  });

  test('the release workflow runs on published releases and gives the tag the image built from its commit', () => {
    // GIVEN
    const [, release] = workflows.find(([file]) => file === 'berth-release-image.yml')!;
    const steps = release.jobs.image.steps;
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
});
