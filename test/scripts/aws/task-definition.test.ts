import 'aws-sdk-client-mock-jest';
import { DescribeTaskDefinitionCommand, ECSClient, ListTaskDefinitionsCommand, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import {
  asRegistration,
  cloneWithImage,
  diffTaskDefinitions,
  familyOf,
  imageOf,
  isTagValue,
  listRevisions,
  MAX_TAG_VALUE_LENGTH,
  readTaskDefinition,
  registerTaskDefinition,
  revisionOf,
  startedByValue,
  toTagValue,
  withReleaseTags,
} from '../../../scripts/aws/task-definition';
import { shortTaskDefinition } from '../../../scripts/cli/format';
import { RefusedError } from '../../../scripts/core/errors';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { exampleTaskDefinition, taskDefinitionArn } from '../../_helpers/release-world';

const ecs = new ECSClient({ region: 'eu-west-1' });
const current = { taskDefinition: exampleTaskDefinition('live', 7, 'repo:v1.3.0'), tags: [{ key: 'team', value: 'backend' }] };

beforeEach(() => resetAwsMocks());

describe('cloneWithImage', () => {
  test('drops every read-only field, keeps tags and all other settings, and changes only the app image', () => {
    // WHEN
    const clone = cloneWithImage(current, 'app', 'repo:v1.4.0');

    // THEN
    for (const field of [
      'taskDefinitionArn',
      'revision',
      'status',
      'requiresAttributes',
      'compatibilities',
      'registeredAt',
      'registeredBy',
    ]) {
      expect(clone).not.toHaveProperty(field);
    }
    expect(clone.tags).toEqual([{ key: 'team', value: 'backend' }]);
    expect(imageOf(clone, 'app')).toBe('repo:v1.4.0');
    expect(clone.containerDefinitions?.[1]).toEqual(current.taskDefinition.containerDefinitions?.[1]);
    expect(diffTaskDefinitions(asRegistration(current), clone)).toEqual([
      'containerDefinitions[app].image: "repo:v1.3.0" -> "repo:v1.4.0"',
    ]);
    // the original is untouched.
    expect(imageOf(current.taskDefinition, 'app')).toBe('repo:v1.3.0');
  });

  test('refuses a task definition without the manifest container', () => {
    expect(() => cloneWithImage(current, 'web', 'repo:v1.4.0')).toThrow(RefusedError);
    expect(() => cloneWithImage(current, 'web', 'repo:v1.4.0')).toThrow(
      'has no container "web" (manifest containerName); allowed: app, log-router',
    );
  });

  test('omits tags when the revision has none', () => {
    expect(cloneWithImage({ ...current, tags: [] }, 'app', 'x')).not.toHaveProperty('tags');
  });
});

describe('diffTaskDefinitions', () => {
  test('lists added, removed and changed leaves, containers keyed by name', () => {
    // GIVEN
    const before = asRegistration(current);
    const after = { ...before, cpu: '256', containerDefinitions: [{ ...before.containerDefinitions![0], memory: 1024 }] };

    // WHEN
    const diff = diffTaskDefinitions(before, after);

    // THEN
    expect(diff).toContain('cpu: (none) -> "256"');
    expect(diff).toContain('containerDefinitions[app].memory: 512 -> 1024');
    expect(diff).toContain('containerDefinitions[log-router].name: "log-router" -> (none)');
  });
});

describe('reading and registering', () => {
  test('readTaskDefinition asks for tags; registerTaskDefinition returns the new revision', async () => {
    // GIVEN
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: current.taskDefinition, tags: current.tags });
    aws.ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: taskDefinitionArn('live', 8) } });

    // WHEN
    const read = await readTaskDefinition(ecs, 'berth-live:7');
    const registered = await registerTaskDefinition(ecs, cloneWithImage(read, 'app', 'repo:v1.4.0'));

    // THEN
    expect(aws.ecs).toHaveReceivedCommandWith(DescribeTaskDefinitionCommand, { taskDefinition: 'berth-live:7', include: ['TAGS'] });
    expect(registered.taskDefinitionArn).toBe(taskDefinitionArn('live', 8));
  });

  test('listRevisions keeps the exact family only, newest first, active and inactive', async () => {
    // GIVEN
    aws.ecs
      .on(ListTaskDefinitionsCommand, { status: 'ACTIVE' })
      .resolves({ taskDefinitionArns: [taskDefinitionArn('live', 9), 'arn:aws:ecs:eu-west-1:1:task-definition/berth-live-db:4'] });
    aws.ecs
      .on(ListTaskDefinitionsCommand, { status: 'INACTIVE' })
      .resolves({ taskDefinitionArns: [taskDefinitionArn('live', 3), taskDefinitionArn('live', 10)] });

    // WHEN
    const arns = await listRevisions(ecs, 'berth-live', 2);

    // THEN
    expect(arns).toEqual([taskDefinitionArn('live', 10), taskDefinitionArn('live', 9)]);
  });

  test('ARN helpers read family, revision and the short form', () => {
    expect(familyOf(taskDefinitionArn('live', 7))).toBe('berth-live');
    expect(revisionOf(taskDefinitionArn('live', 7))).toBe(7);
    expect(shortTaskDefinition(taskDefinitionArn('live', 7))).toBe('berth-live:7');
  });
});

describe('release tag values', () => {
  const arn = 'arn:aws:sts::123456789012:assumed-role/releaser/alice';
  const run = 'https://github.com/acme/infra/actions/runs/4242';

  test('a caller ARN is a valid tag value as it is', () => {
    // THEN
    expect(toTagValue(arn)).toBe(arn);
    expect(isTagValue(arn)).toBe(true);
  });

  test('characters ECS refuses in a tag value become _, and the value is cut at 256 characters', () => {
    // GIVEN an IAM session name may hold a comma; ECS tag values may not
    const withComma = 'arn:aws:sts::123456789012:assumed-role/releaser/alice,ops';
    const long = `arn:aws:sts::123456789012:assumed-role/${'r'.repeat(64)}/${'é'.repeat(300)}`;

    // THEN
    expect(toTagValue(withComma)).toBe('arn:aws:sts::123456789012:assumed-role/releaser/alice_ops');
    expect(toTagValue('who? (me) #1 & you ~x')).toBe('who_ _me_ _1 _ you _x');
    expect([...toTagValue(long)]).toHaveLength(MAX_TAG_VALUE_LENGTH);
    expect(isTagValue(toTagValue(long))).toBe(true);
    expect(isTagValue(withComma)).toBe(false);
    expect(isTagValue('a'.repeat(257))).toBe(false);
  });

  test('started-by adds the GitHub Actions run when both fit, and leaves a run out rather than cut it', () => {
    // GIVEN an ARN so long that the run would not fit after it
    const longArn = `arn:aws:sts::123456789012:assumed-role/${'r'.repeat(64)}/${'s'.repeat(150)}`;

    // THEN
    expect(startedByValue(arn, run)).toBe(`${arn} ${run}`);
    expect(startedByValue(arn)).toBe(arn);
    expect(startedByValue(longArn, run)).toBe(longArn);
    expect(startedByValue(arn, 'https://example.com/runs?id=1')).toBe(arn);
  });

  test("withReleaseTags replaces the copied revision's release tags, keeps every other tag, and adds no page without one", () => {
    // GIVEN a clone of a revision an earlier release tagged
    const clone = cloneWithImage(
      {
        ...current,
        tags: [
          { key: 'team', value: 'backend' },
          { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
          { key: 'berth:release-url', value: 'https://github.com/acme/backend/releases/tag/v1.3.0' },
        ],
      },
      'app',
      'repo:v1.4.0',
    );

    // WHEN
    const promoted = withReleaseTags(clone, { startedBy: arn, releaseUrl: 'https://github.com/acme/backend/releases/tag/v1.4.0' });
    const deployed = withReleaseTags(clone, { startedBy: startedByValue(`${arn},x`) });

    // THEN
    expect(promoted.tags).toEqual([
      { key: 'team', value: 'backend' },
      { key: 'berth:started-by', value: arn },
      { key: 'berth:release-url', value: 'https://github.com/acme/backend/releases/tag/v1.4.0' },
    ]);
    expect(deployed.tags).toEqual([
      { key: 'team', value: 'backend' },
      { key: 'berth:started-by', value: `${arn}_x` },
    ]);
  });
});
