import 'aws-sdk-client-mock-jest';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { GetParameterHistoryCommand } from '@aws-sdk/client-ssm';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import { digestOf, exampleTaskDefinition, expectNoWrites, setUpWorld, taskDefinitionArn, writeConfig } from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
let config: string;

beforeAll(() => {
  config = writeConfig(true);
});

const env = () => ({ BERTH_CONFIG: config });

/** Revisions 5 to 7 of the family, each running one image, registered a day apart. */
function givenRevisions(environment: 'pre' | 'live', images: Record<number, string>) {
  aws.ecs.on(ListTaskDefinitionsCommand, { status: 'ACTIVE' }).resolves({
    taskDefinitionArns: [
      ...Object.keys(images).map((r) => taskDefinitionArn(environment, Number(r))),
      `arn:aws:ecs:eu-west-1:123456789012:task-definition/berth-${environment}-db:3`,
    ],
  });
  aws.ecs.on(ListTaskDefinitionsCommand, { status: 'INACTIVE' }).resolves({ taskDefinitionArns: [] });
  for (const [revision, image] of Object.entries(images)) {
    const r = Number(revision);
    aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn(environment, r) }).resolves({
      taskDefinition: {
        ...exampleTaskDefinition(environment, r, image),
        // registered on Nov 1 + (r - 5) at 11:00, an hour before the parameter version of the same day.
        registeredAt: new Date(Date.UTC(2026, 10, 1 + r - 5, 11)),
        registeredBy: `arn:aws:sts::123456789012:assumed-role/deployer/ci-${r}`,
      },
    });
  }
}

describe('berth history live', () => {
  test('lists each image-tag version newest first with time, tag, digest, revision and who', async () => {
    // GIVEN versions v1.2.0 (Nov 1), v1.3.0 (Nov 2), v1.2.0 again (Nov 3, a rollback)
    setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0', 'v1.2.0'] });
    givenRevisions('live', { 5: `${REPO}:v1.2.0`, 6: `${REPO}:v1.3.0`, 7: `${REPO}:v1.2.0` });

    // WHEN
    const { code, out } = await runBerth(['history', 'live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^time +tag +digest +revision +who$/);
    expect(lines[1]).toMatch(
      /^2026-11-03T12:00:00.000Z +v1.2.0 +sha256:76312e322e30 +berth-live:7 +arn:aws:sts::123456789012:assumed-role\/operator\/person3$/,
    );
    expect(lines[2]).toMatch(/^2026-11-02T12:00:00.000Z +v1.3.0 +sha256:76312e332e30 +berth-live:6 +.*person2$/);
    expect(lines[3]).toMatch(/^2026-11-01T12:00:00.000Z +v1.2.0 +sha256:76312e322e30 +berth-live:5 +.*person1$/);
    expect(lines[4]).toBe('');
    expect(lines[5]).toBe('task-definition revisions of berth-live:');
    expect(lines[7]).toMatch(
      /^2026-11-03T11:00:00.000Z +berth-live:7 +123456789012.dkr.ecr.eu-west-1.amazonaws.com\/berth:v1.2.0 +arn:aws:sts::123456789012:assumed-role\/deployer\/ci-7$/,
    );
    expect(lines).toHaveLength(10);
    expectNoWrites();
  });

  test('--json gives full digests, revisions and parameter versions', async () => {
    // GIVEN
    setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0'] });
    givenRevisions('live', { 6: `${REPO}:v1.2.0`, 7: `${REPO}:v1.3.0` });

    // WHEN
    const { out } = await runBerth(['history', 'live', '--json', '--limit', '1'], { env: env() });

    // THEN
    const document = JSON.parse(out);
    expect(document.source).toBe('/berth/berth/live/image-tag');
    expect(document.releases).toEqual([
      {
        version: 2,
        at: '2026-11-02T12:00:00.000Z',
        tag: 'v1.3.0',
        digest: digestOf('v1.3.0'),
        taskDefinition: taskDefinitionArn('live', 7),
        who: 'arn:aws:sts::123456789012:assumed-role/operator/person2',
      },
    ]);
  });
});

describe('berth history pre', () => {
  test('lists the task-definition revisions of the family with pinned digest and who registered them', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre' });
    givenRevisions('pre', { 6: `${REPO}@${digestOf('a')}`, 7: `${REPO}@${digestOf('b')}` });

    // WHEN
    const { code, out } = await runBerth(['history', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    const lines = out.trim().split('\n');
    expect(lines[1]).toMatch(
      /^2026-11-03T11:00:00.000Z +- +sha256:620000000000 +berth-pre:7 +arn:aws:sts::123456789012:assumed-role\/deployer\/ci-7$/,
    );
    expect(lines[2]).toContain('berth-pre:6');
    expect(lines).toHaveLength(3);
  });

  test('--limit must be a whole number', async () => {
    // WHEN
    const { code, err } = await runBerth(['history', 'pre', '--limit', 'all'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('--limit "all" is not valid; allowed: a whole number from 1 to 500');
  });
});

/** Scripts the image-tag versions and the revisions of a family, each at its own time. */
function givenTimeline(
  environment: 'pre' | 'live',
  versions: readonly { tag: string; at: string }[],
  revisions: readonly { revision: number; image: string; at: string; restores?: number }[],
) {
  if (environment === 'live') {
    aws.ssm.on(GetParameterHistoryCommand).resolves({
      Parameters: versions.map((v, i) => ({
        Name: '/berth/berth/live/image-tag',
        Value: v.tag,
        Version: i + 1,
        LastModifiedDate: new Date(v.at),
        LastModifiedUser: `arn:aws:sts::123456789012:assumed-role/operator/person${i + 1}`,
      })),
    });
  }
  aws.ecs
    .on(ListTaskDefinitionsCommand, { status: 'ACTIVE' })
    .resolves({ taskDefinitionArns: [...revisions].reverse().map((r) => taskDefinitionArn(environment, r.revision)) });
  aws.ecs.on(ListTaskDefinitionsCommand, { status: 'INACTIVE' }).resolves({ taskDefinitionArns: [] });
  for (const r of revisions) {
    aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn(environment, r.revision) }).resolves({
      taskDefinition: { ...exampleTaskDefinition(environment, r.revision, r.image), registeredAt: new Date(r.at) },
      // as berth tags a restore copy: the revision it copies, as family:revision.
      tags: r.restores === undefined ? [] : [{ key: 'berth:restores', value: `berth-${environment}:${r.restores}` }],
    });
  }
}

describe('berth history names the revision that ran each release', () => {
  test('the first release after a rollback keeps its own revision, not the rollback one', async () => {
    // GIVEN the reproduction: the shared stack writes v1.0.0, the live stack registers :1, then
    // promote v1.2.3 (:2) and rollback (:3, v1.0.0 again)
    setUpWorld({ tagHistory: ['v1.0.0', 'v1.2.3', 'v1.0.0'] });
    givenTimeline(
      'live',
      [
        { tag: 'v1.0.0', at: '2026-11-01T12:00:00Z' },
        { tag: 'v1.2.3', at: '2026-11-03T12:00:00Z' },
        { tag: 'v1.0.0', at: '2026-11-04T12:00:00Z' },
      ],
      [
        { revision: 1, image: `${REPO}:v1.0.0`, at: '2026-11-01T12:20:00Z' },
        { revision: 2, image: `${REPO}:v1.2.3`, at: '2026-11-03T11:45:00Z' },
        { revision: 3, image: `${REPO}:v1.0.0`, at: '2026-11-04T11:50:00Z' },
      ],
    );

    // WHEN
    const { code, out } = await runBerth(['history', 'live', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out).releases.map((r: { version: number; taskDefinition?: string }) => [r.version, r.taskDefinition])).toEqual([
      [3, taskDefinitionArn('live', 3)],
      [2, taskDefinitionArn('live', 2)],
      [1, taskDefinitionArn('live', 1)],
    ]);
  });

  test('a restore copy is shown as a restore, not as a release', async () => {
    // GIVEN v1.1.0 failed once (:2), berth registered :3 as a copy of :1, the second try (:4) succeeded
    setUpWorld({ tagHistory: ['v1.0.0', 'v1.1.0'] });
    givenTimeline(
      'live',
      [
        { tag: 'v1.0.0', at: '2026-11-01T12:00:00Z' },
        { tag: 'v1.1.0', at: '2026-11-05T12:00:00Z' },
      ],
      [
        { revision: 1, image: `${REPO}:v1.0.0`, at: '2026-11-01T11:00:00Z' },
        { revision: 2, image: `${REPO}:v1.1.0`, at: '2026-11-03T12:00:00Z' },
        { revision: 3, image: `${REPO}:v1.0.0`, at: '2026-11-03T12:30:00Z', restores: 1 },
        { revision: 4, image: `${REPO}:v1.1.0`, at: '2026-11-05T11:40:00Z' },
      ],
    );

    // WHEN
    const { out } = await runBerth(['history', 'live'], { env: env() });
    const json = JSON.parse((await runBerth(['history', 'live', '--json'], { env: env() })).out);

    // THEN
    expect(out).toMatch(
      /berth-live:3 +123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/berth:v1\.0\.0 +\S+ +restores berth-live:1, not a release/,
    );
    expect(json.releases.map((r: { taskDefinition?: string }) => r.taskDefinition)).toEqual([
      taskDefinitionArn('live', 4),
      taskDefinitionArn('live', 1),
    ]);
    expect(json.revisions.find((r: { revision: number }) => r.revision === 3).restores).toBe('berth-live:1');
  });

  test('pre lists no restore copy as a release, and shows it among the revisions', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre' });
    givenTimeline(
      'pre',
      [],
      [
        { revision: 6, image: `${REPO}@${digestOf('a')}`, at: '2026-11-02T11:00:00Z' },
        { revision: 7, image: `${REPO}@${digestOf('b')}`, at: '2026-11-03T11:00:00Z' },
        { revision: 8, image: `${REPO}@${digestOf('a')}`, at: '2026-11-03T11:30:00Z', restores: 6 },
      ],
    );

    // WHEN
    const { code, out } = await runBerth(['history', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    const [releases, revisions] = out.trim().split('\n\n');
    expect(
      releases
        .split('\n')
        .slice(1)
        .map((l) => /berth-pre:\d+/.exec(l)?.[0]),
    ).toEqual(['berth-pre:7', 'berth-pre:6']);
    expect(revisions).toMatch(/berth-pre:8 .* restores berth-pre:6, not a release/);
  });
});
