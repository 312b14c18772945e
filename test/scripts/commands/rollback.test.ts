import 'aws-sdk-client-mock-jest';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import {
  CALLER_ARN,
  digestOf,
  expectNoWrites,
  releasePage,
  setUpWorld,
  startFakeGithub,
  writeConfig,
  type FakeGithub,
} from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
let github: FakeGithub;
let config: string;

beforeAll(async () => {
  github = await startFakeGithub();
  config = writeConfig(true);
});
afterAll(() => github.close());
beforeEach(() => {
  github.releases = [
    { tag_name: 'v1.2.0', published_at: '2026-10-01T10:00:00Z' },
    { tag_name: 'v1.3.0', published_at: '2026-11-01T10:00:00Z' },
  ];
  setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0'] });
});

const env = () => ({ BERTH_CONFIG: config, GITHUB_API_URL: github.url, BERTH_POLL_INTERVAL_MS: '1' });

describe('berth rollback live', () => {
  test('goes back to the previous release in the image-tag history and records it as a new version', async () => {
    // WHEN
    const { code, out } = await runBerth(['rollback', 'live', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('current release v1.3.0; previous release v1.2.0 (version 1');
    expect(out).toContain('live now runs v1.2.0 (berth-live:8');
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      containerDefinitions: [
        expect.objectContaining({ name: 'app', image: `${REPO}:v1.2.0` }),
        expect.objectContaining({ name: 'log-router' }),
      ],
    });
    expect(aws.ecs).toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/berth/berth/live/image-tag',
      Value: 'v1.2.0',
      Overwrite: true,
    });
  });

  test('skips versions that repeat the current tag when it looks for the previous release', async () => {
    // GIVEN v1.3.0 was recorded twice (a resumed promote)
    setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0', 'v1.3.0'] });

    // WHEN
    const { out } = await runBerth(['rollback', 'live', '--dry-run'], { env: env() });

    // THEN
    expect(out).toContain('previous release v1.2.0');
    expectNoWrites();
  });

  test('--to names the release, with the same checks as promote', async () => {
    // WHEN v1.1.0 has no GitHub release
    const { code, err } = await runBerth(['rollback', 'live', '--to', 'v1.1.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('no GitHub release v1.1.0 in example-org/backend');
    expectNoWrites();
  });

  test('a release that ran on live before is not traced to its commit again, and the output says why', async () => {
    // GIVEN v1.2.0 was built before berth pushed sha-<commit> images: its commit image differs
    setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0'], commitDigests: { 'v1.2.0': digestOf('an older build') } });

    // WHEN
    const { code, out } = await runBerth(['rollback', 'live', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(
      'provenance not checked: v1.2.0 ran on live before (version 1 of /berth/berth/live/image-tag); release tags are immutable in ECR',
    );
  });

  test('--to a release that never ran on live is traced to its commit like a promotion', async () => {
    // GIVEN v1.4.0 never ran on live, and its tag names another image than its commit's build
    github.releases.push({ tag_name: 'v1.4.0', published_at: '2026-11-20T10:00:00Z' });
    setUpWorld({ tagHistory: ['v1.2.0', 'v1.3.0'], commitDigests: { 'v1.4.0': digestOf('another build') } });

    // WHEN
    const { code, err } = await runBerth(['rollback', 'live', '--to', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('berth rollback: berth:v1.4.0 (');
    expect(err).toContain("is not the image built from v1.4.0's commit");
    expectNoWrites();
  });

  test('--dry-run shows the plan and the diff back to the older image', async () => {
    // WHEN
    const { code, out } = await runBerth(['rollback', 'live', '--to', 'v1.2.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(`containerDefinitions[app].image: "${REPO}:v1.3.0" -> "${REPO}:v1.2.0"`);
    expectNoWrites();
  });

  test('a history with one release is refused', async () => {
    // GIVEN
    setUpWorld({ tagHistory: ['v1.3.0'] });

    // WHEN
    const { code, err } = await runBerth(['rollback', 'live', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('/berth/berth/live/image-tag has no release before v1.3.0; name one with --to vX.Y.Z');
    expectNoWrites();
  });

  test('asks for confirmation and refuses without a terminal', async () => {
    // WHEN
    const { code, err } = await runBerth(['rollback', 'live'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('cannot ask "Roll back live to v1.2.0?"');
    expectNoWrites();
  });

  test.each([
    [['rollback', 'pre'], 'unknown environment "pre"; allowed: live; pre follows the delivery branch: berth deploy pre'],
    [['rollback', 'live', '--to', 'v1.2'], '"v1.2" is not a release tag'],
  ])('%j is a usage error', async (argv, message) => {
    // WHEN
    const { code, err } = await runBerth(argv, { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain(message);
    expectNoWrites();
  });
});

// the release notifications read these two tags of the revision a release registers (infra/release-tags.ts).
describe('the tags of the revision berth rollback registers', () => {
  test('name who started the rollback, and carry no release page even when the running revision has one', async () => {
    // GIVEN live runs v1.3.0, which bob promoted from its GitHub release
    setUpWorld({
      tagHistory: ['v1.2.0', 'v1.3.0'],
      runningTags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
        { key: 'berth:release-url', value: releasePage('v1.3.0') },
      ],
    });

    // WHEN alice rolls back to v1.2.0
    const { code } = await runBerth(['rollback', 'live', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.tags).toEqual([
      { key: 'app', value: 'berth' },
      { key: 'berth:started-by', value: CALLER_ARN },
    ]);
  });
});
