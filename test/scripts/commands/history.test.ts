import 'aws-sdk-client-mock-jest';
import { DescribeTaskDefinitionCommand, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
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
