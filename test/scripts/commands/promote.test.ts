import 'aws-sdk-client-mock-jest';
import {
  DeregisterTaskDefinitionCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetImageCommand } from '@aws-sdk/client-ecr';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { imageIndex, PREFLIGHT_LINKS } from '../../_helpers/preflight';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import {
  CALLER_ARN,
  commitOf,
  deploymentArn,
  digestOf,
  expectNoWrites,
  exampleTaskDefinition,
  releasePage,
  setUpWorld,
  startFakeGithub,
  taskDefinitionArn,
  writeConfig,
  type FakeGithub,
} from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
let github: FakeGithub;
let withGithub: string;
let withoutGithub: string;

beforeAll(async () => {
  github = await startFakeGithub();
  withGithub = writeConfig(true);
  withoutGithub = writeConfig(false);
});
afterAll(() => github.close());
beforeEach(() => {
  github.releases = [
    { tag_name: 'v1.3.0', published_at: '2026-11-01T10:00:00Z' },
    { tag_name: 'v1.4.0', published_at: '2026-11-20T10:00:00Z' },
    { tag_name: 'v1.5.0-rc.1', prerelease: true, published_at: '2026-11-21T10:00:00Z' },
    { tag_name: 'v1.6.0', draft: true, published_at: null },
  ];
  github.requests.length = 0;
  github.tagRefs = {};
  github.tagObjects = {};
  setUpWorld();
});

/** The registration of a copy of a revision of the example world, as berth registers it after a failed release. */
function restoreOf(revision: number) {
  const { containerDefinitions, family, taskRoleArn, executionRoleArn } = exampleTaskDefinition('live', revision, `${REPO}:v1.3.0`);
  return { family, taskRoleArn, executionRoleArn, containerDefinitions };
}

function env(config = withGithub): NodeJS.ProcessEnv {
  return { BERTH_CONFIG: config, GITHUB_API_URL: github.url, BERTH_POLL_INTERVAL_MS: '1' };
}

describe('berth promote live --tag vX.Y.Z', () => {
  test('checks the release and the image, rolls out a clone with only the image changed, and records the tag after success', async () => {
    // WHEN
    const { code, out, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(err).not.toContain('berth promote:');
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('GitHub release v1.4.0 of example-org/backend: published 2026-11-20T10:00:00Z');
    expect(out).toContain(`ECR image berth:v1.4.0: ${digestOf('v1.4.0')}, pushed 2026-11-20T09:00:00.000Z`);
    expect(out).toContain(`live now runs v1.4.0 (berth-live:8, ${digestOf('v1.4.0')})`);
    expect(out).toContain('recorded v1.4.0 in /berth/berth/live/image-tag (version 3)');
    expect(out).toContain('https://be.example.com');
    const running = exampleTaskDefinition('live', 7, `${REPO}:v1.3.0`);
    expect(aws.ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
    const registered = aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input;
    expect(registered).toEqual({
      family: 'berth-live',
      taskRoleArn: running.taskRoleArn,
      executionRoleArn: running.executionRoleArn,
      networkMode: 'bridge',
      requiresCompatibilities: ['EC2'],
      containerDefinitions: [{ ...running.containerDefinitions?.[0], image: `${REPO}:v1.4.0` }, running.containerDefinitions?.[1]],
      tags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:started-by', value: CALLER_ARN },
        { key: 'berth:release-url', value: releasePage('v1.4.0') },
      ],
    });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, {
      cluster: 'arn:aws:ecs:eu-west-1:123456789012:cluster/berth-live-Cluster',
      service: 'arn:aws:ecs:eu-west-1:123456789012:service/berth-live-Cluster/berth-live-Service',
      taskDefinition: taskDefinitionArn('live', 8),
    });
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/berth/berth/live/image-tag',
      Value: 'v1.4.0',
      Type: 'String',
      Overwrite: true,
    });
  });

  test('writes in the order register, update, follow to SUCCESSFUL, then the image tag', async () => {
    // WHEN
    await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    const register = aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0];
    const update = aws.ecs.commandCalls(UpdateServiceCommand)[0];
    const lastLook = aws.ecs.commandCalls(DescribeServiceDeploymentsCommand).at(-1)!;
    const put = aws.ssm.commandCalls(PutParameterCommand)[0];
    expect(register.calledBefore(update)).toBe(true);
    expect(update.calledBefore(lastLook)).toBe(true);
    expect(lastLook.calledBefore(put)).toBe(true);
  });

  test('shows lifecycle stage, healthy targets and bake time while it follows', async () => {
    // WHEN
    const { out, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes', '--json'], { env: env() });

    // THEN
    expect(err).toContain('IN_PROGRESS · stage SCALE_UP · new tasks 2/2 running · targets blue 1/1 healthy, green 1/1 healthy');
    expect(err).toContain('stage PRODUCTION_TRAFFIC_SHIFT');
    expect(err).toMatch(/stage BAKE_TIME .* bake 0s of 5m00s/);
    expect(JSON.parse(out)).toMatchObject({
      environment: 'live',
      tag: 'v1.4.0',
      outcome: 'SUCCESSFUL',
      recordedVersion: 3,
      taskDefinition: taskDefinitionArn('live', 8),
    });
  });

  test('--dry-run prints the plan and a diff of only the image, and changes nothing', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('plan       1. register a new task-definition revision');
    expect(out).toContain('after success, record v1.4.0 in /berth/berth/live/image-tag');
    expect(out).toContain('task definition diff (berth-live:7 -> new revision):');
    expect(out).toContain(`  containerDefinitions[app].image: "${REPO}:v1.3.0" -> "${REPO}:v1.4.0"`);
    expect(out.match(/->/g)).toHaveLength(2);
    expect(out).toContain(`  tags       berth:started-by=${CALLER_ARN}\n             berth:release-url=${releasePage('v1.4.0')}\n`);
    expect(out).toContain('dry run: nothing changed');
    expectNoWrites();
  });

  test('--dry-run --json names the tags the revision would get', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out)).toMatchObject({ releaseTags: { startedBy: CALLER_ARN, releaseUrl: releasePage('v1.4.0') }, dryRun: true });
    expectNoWrites();
  });

  test('asks on a terminal and goes ahead on y', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0'], { env: env(), stdinIsTTY: true, stdinText: 'y\n' });

    // THEN
    expect(err).toContain('Release live to v1.4.0? [y/N]');
    expect(code).toBe(EXIT.OK);
    expect(aws.ssm).toHaveReceivedCommand(PutParameterCommand);
  });

  test('asks on a terminal and changes nothing on n', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0'], { env: env(), stdinIsTTY: true, stdinText: 'n\n' });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('berth promote: not confirmed; nothing changed');
    expectNoWrites();
  });

  test('refuses without --yes when stdin is not a terminal, instead of waiting', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('standard input is not a terminal');
    expect(err).toContain('pass --yes');
    expectNoWrites();
  });
});

describe('berth promote refuses bad input with one line and no change', () => {
  test.each([
    [['promote', 'pre', '--tag', 'v1.4.0'], 'unknown environment "pre"; allowed: live; pre follows the delivery branch: berth deploy pre'],
    [['promote', 'staging', '--tag', 'v1.4.0'], 'unknown environment "staging"; allowed: live'],
    [['promote', '--tag', 'v1.4.0'], 'missing environment; allowed: live'],
    [['promote', 'live'], 'missing --tag vX.Y.Z (or --latest)'],
    [['promote', 'live', '--tag', '1.4.0'], '"1.4.0" is not a release tag; allowed: vMAJOR.MINOR.PATCH'],
    [['promote', 'live', '--tag', 'v1.4'], '"v1.4" is not a release tag'],
    [['promote', 'live', '--tag', 'master'], '"master" is not a release tag'],
    [['promote', 'live', '--tag', 'v1.5.0-rc.1'], 'v1.5.0-rc.1 is a pre-release; pass --allow-prerelease'],
    [['promote', 'live', '--tag', 'v1.4.0', '--latest'], 'give either --tag or --latest, not both'],
    [['promote', 'live', '--tag', 'v1.4.0', '--timeout', 'soon'], '--timeout "soon" is not a duration'],
    [['promote', 'live', '--tag', 'v1.4.0', '--force'], 'unknown option --force; allowed: --tag, --latest, --allow-prerelease, --json'],
  ])('%j is a usage error', async (argv, message) => {
    // WHEN
    const { code, err } = await runBerth(argv, { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(message);
    expect(aws.ssm).not.toHaveReceivedCommand(GetParameterCommand);
    expectNoWrites();
  });

  test('a tag without a GitHub release is refused', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.1', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe(
      'berth promote: no GitHub release v1.4.1 in example-org/backend; publish the release first (a tag alone is not a release)',
    );
    expectNoWrites();
  });

  test('a draft release is refused', async () => {
    // GIVEN the image exists, the release is still a draft
    setUpWorld({ ecrTags: ['v1.3.0', 'v1.6.0'] });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.6.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('GitHub release v1.6.0 in example-org/backend is a draft; publish it first');
    expectNoWrites();
  });

  test('a release GitHub marks as a pre-release needs --allow-prerelease even with a plain tag', async () => {
    // GIVEN
    github.releases = [{ tag_name: 'v1.4.0', prerelease: true, published_at: '2026-11-20T10:00:00Z' }];

    // WHEN
    const refused = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });
    const allowed = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--allow-prerelease', '--dry-run'], { env: env() });

    // THEN
    expect(refused.code).toBe(EXIT.REFUSED);
    expect(refused.err).toContain('GitHub marks v1.4.0 of example-org/backend as a pre-release; pass --allow-prerelease');
    expect(allowed.code).toBe(EXIT.OK);
    expectNoWrites();
  });

  test('an unreachable GitHub is a refusal, not a crash', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], {
      env: { ...env(), GITHUB_API_URL: 'http://127.0.0.1:9' },
    });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('cannot reach GitHub at http://127.0.0.1:9');
    expectNoWrites();
  });

  test('a tag without an ECR image is refused', async () => {
    // GIVEN the release exists but its build never pushed the image
    setUpWorld({ ecrTags: ['v1.3.0'] });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('no image berth:v1.4.0 in ECR');
    expectNoWrites();
  });

  test('a missing manifest is refused with the stack to deploy', async () => {
    // GIVEN
    aws.ssm
      .on(GetParameterCommand, { Name: '/berth/berth/live/manifest' })
      .rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe(
      'berth promote: no manifest at /berth/berth/live/manifest: deploy the berth-live stack first (npx cdk deploy berth-live), or check --config and --region',
    );
    expectNoWrites();
  });

  test('a malformed manifest is refused', async () => {
    // GIVEN
    aws.ssm.on(GetParameterCommand, { Name: '/berth/berth/live/manifest' }).resolves({ Parameter: { Value: '{"schemaVersion": 1' } });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('manifest /berth/berth/live/manifest is not JSON');
    expectNoWrites();
  });

  test('no credentials is refused with how to log in', async () => {
    // GIVEN
    aws.ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe(
      'berth promote: no usable AWS credentials (Could not load credentials from any providers); log in (aws sso login, or set AWS_PROFILE / --profile) and try again',
    );
    expectNoWrites();
  });

  test('a deployment of another image in progress is refused', async () => {
    // GIVEN
    aws.ecs.on(ListServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        { serviceDeploymentArn: deploymentArn('live', 'other'), status: 'IN_PROGRESS', targetServiceRevisionArn: 'arn:revision/other' },
      ],
    });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({
      serviceDeployments: [
        {
          serviceDeploymentArn: deploymentArn('live', 'other'),
          status: 'IN_PROGRESS',
          lifecycleStage: 'BAKE_TIME',
          targetServiceRevision: { arn: 'arn:revision/other' },
        },
      ],
    });
    aws.ecs
      .on(DescribeServiceRevisionsCommand)
      .resolves({ serviceRevisions: [{ containerImages: [{ containerName: 'app', image: `${REPO}:v1.3.1` }] }] });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim()).toBe(
      `berth promote: a deployment of berth-live-Service is already IN_PROGRESS at BAKE_TIME (towards ${REPO}:v1.3.1); wait for it to end (berth status live) and try again`,
    );
    expectNoWrites();
  });
});

describe('berth promote when the deployment does not succeed', () => {
  test('a rolled-back deployment exits 4, says so, and leaves the image tag alone', async () => {
    // GIVEN
    setUpWorld({
      deploymentStatuses: [
        { status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
        { status: 'ROLLBACK_IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
        { status: 'ROLLBACK_SUCCESSFUL', statusReason: 'alarm berth-live-5xx in ALARM' },
      ],
    });

    // WHEN
    const { code, out, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(out).toContain('deployment new ended ROLLBACK_SUCCESSFUL');
    expect(err).toContain(
      'berth promote: v1.4.0 was not released to live: the deployment ended ROLLBACK_SUCCESSFUL (rolled back): alarm berth-live-5xx in ALARM; the image tag parameter still names the release live runs',
    );
    expect(aws.ecs).toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
    // the service names its family: its newest ACTIVE revision must again be what runs, and nothing is deregistered.
    expect(aws.ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 2);
    expect(aws.ecs).toHaveReceivedNthSpecificCommandWith(2, RegisterTaskDefinitionCommand, {
      ...restoreOf(7),
      tags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:restores', value: 'berth-live:7' },
        { key: 'berth:failed-release', value: 'berth-live:8' },
      ],
    });
    expect(aws.ecs).not.toHaveReceivedCommand(DeregisterTaskDefinitionCommand);
    expect(out).toContain(
      'registered berth-live:9, a copy of berth-live:7 (what runs after the rollback), so a later cdk deploy keeps it instead of rolling out berth-live:8',
    );
  });

  test('a failed resumed release restores the revision ECS rolled back to, named by the deployment', async () => {
    // GIVEN an earlier, interrupted promote: the service already names berth-live:8 and its deployment is moving
    setUpWorld({
      deploymentStatuses: [{ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }, { status: 'ROLLBACK_SUCCESSFUL' }],
    });
    const moving = exampleTaskDefinition('live', 8, `${REPO}:v1.4.0`);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'berth-live-Service', status: 'ACTIVE', taskDefinition: moving.taskDefinitionArn, desiredCount: 2 }],
    });
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });
    aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: moving.taskDefinitionArn }).resolves({ taskDefinition: moving, tags: [] });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN the copy is of berth-live:7, the deployment's source revision, not of the failed :8 the service names
    expect(code).toBe(EXIT.FAILED);
    expect(aws.ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, 1);
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, restoreOf(7));
    expect(out).toContain('registered berth-live:8, a copy of berth-live:7');
  });

  test('when the copy cannot be registered, berth says what to do instead and still exits 4', async () => {
    // GIVEN
    setUpWorld({ deploymentStatuses: [{ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'circuit breaker' }] });
    aws.ecs
      .on(RegisterTaskDefinitionCommand)
      .resolvesOnce({ taskDefinition: { taskDefinitionArn: taskDefinitionArn('live', 8), revision: 8 } })
      .rejects(Object.assign(new Error('Too many requests'), { name: 'ThrottlingException' }));

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain(
      `warning: could not register a copy of berth-live:7 (Too many requests); a later cdk deploy would roll out berth-live:8, the release that failed; deregister it (aws ecs deregister-task-definition --task-definition ${taskDefinitionArn('live', 8)}) before the next cdk deploy`,
    );
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('a release cloned from a restore copy does not carry the restore tags', async () => {
    // GIVEN a cdk deploy rolled out berth-live:9, berth's copy of :7 after a failed release
    const restored = exampleTaskDefinition('live', 9, `${REPO}:v1.3.0`);
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'berth-live-Service', status: 'ACTIVE', taskDefinition: restored.taskDefinitionArn, desiredCount: 2 }],
    });
    aws.ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: restored.taskDefinitionArn }).resolves({
      taskDefinition: restored,
      tags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:restores', value: 'berth-live:7' },
        { key: 'berth:failed-release', value: 'berth-live:8' },
      ],
    });

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      family: 'berth-live',
      tags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:started-by', value: CALLER_ARN },
        { key: 'berth:release-url', value: releasePage('v1.4.0') },
      ],
    });
  });

  test('--timeout stops following with exit 5 and says how to resume; the image tag stays', async () => {
    // GIVEN a deployment that never ends
    setUpWorld({ deploymentStatuses: [{ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }] });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes', '--timeout', '1s'], {
      env: { ...env(), BERTH_POLL_INTERVAL_MS: '100' },
    });

    // THEN
    expect(code).toBe(EXIT.TIMED_OUT);
    expect(err).toContain(
      'gave up following after 1s; deployment new is still IN_PROGRESS at BAKE_TIME; watch it with berth status live --watch; run berth promote live --tag v1.4.0 again to follow it to the end and record the tag',
    );
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('Ctrl-C stops following with exit 130, leaves the deployment running and says how to resume', async () => {
    // GIVEN the operator presses Ctrl-C while the deployment shifts traffic
    const controller = new AbortController();
    let looks = 0;
    aws.ecs.on(DescribeServiceDeploymentsCommand).callsFake(() => {
      if (++looks === 2) controller.abort();
      return {
        serviceDeployments: [
          {
            serviceDeploymentArn: deploymentArn('live', 'new'),
            status: 'IN_PROGRESS',
            lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
            targetServiceRevision: { arn: 'arn:revision/new' },
          },
        ],
      };
    });

    // WHEN
    const { code, out, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env(), signal: controller.signal });

    // THEN
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(out).toContain('deployment new was IN_PROGRESS at PRODUCTION_TRAFFIC_SHIFT when berth stopped following (after 0s)');
    expect(err).toContain(
      'stopped following; deployment new goes on. Watch it with berth status live --watch; run berth promote live --tag v1.4.0 again',
    );
    expect(aws.ecs).toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
    // the deployment goes on and may yet succeed: its revision stays.
    expect(aws.ecs).not.toHaveReceivedCommand(DeregisterTaskDefinitionCommand);
  });

  test('Ctrl-C before ECS shows the new deployment exits 130 with how to resume', async () => {
    // GIVEN ECS has not created the deployment yet when the operator presses Ctrl-C
    const controller = new AbortController();
    aws.ecs.on(UpdateServiceCommand).callsFake(() => {
      controller.abort();
      return { service: {} };
    });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env(), signal: controller.signal });

    // THEN
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(err).toContain(
      'stopped; berth-live-Service was updated to berth-live:8 and ECS deploys it. Watch it with berth status live --watch; run berth promote live --tag v1.4.0 again',
    );
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('a failed image-tag write after success exits 4 and says to run the command again', async () => {
    // GIVEN
    aws.ssm.on(PutParameterCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain(
      'live runs v1.4.0, but recording it in /berth/berth/live/image-tag failed (Rate exceeded); run berth promote live --tag v1.4.0 again to record it',
    );
  });
});

describe('berth promote resumes instead of starting over', () => {
  test('a deployment already on its way to the tag is followed, not started again, and recorded after success', async () => {
    // GIVEN an earlier run was interrupted after it updated the service
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [{ containerImages: [{ containerName: 'app', image: `${REPO}:v1.4.0`, imageDigest: digestOf('v1.4.0') }] }],
    });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('follow the deployment already running towards this image (new)');
    expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
  });

  test('a deployment whose revision lists no images yet is matched through its task definition', async () => {
    // GIVEN
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'PENDING' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [{ taskDefinition: taskDefinitionArn('live', 8) }] });
    aws.ecs
      .on(DescribeTaskDefinitionCommand, { taskDefinition: taskDefinitionArn('live', 8) })
      .resolves({ taskDefinition: exampleTaskDefinition('live', 8, `${REPO}:v1.4.0`) });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('follow the deployment already running towards this image (new)');
    expectNoWrites();
  });

  test('a deployment that finished while nobody watched is only recorded', async () => {
    // GIVEN the service already runs v1.4.0, the parameter still says v1.3.0
    setUpWorld({ runningTag: 'v1.4.0' });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('recorded v1.4.0 in /berth/berth/live/image-tag');
    expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
  });

  test('a service that names the release but whose deployment was rolled back is deployed again, not just recorded', async () => {
    // GIVEN the service names v1.4.0, but its newest deployment ended ROLLBACK_SUCCESSFUL
    setUpWorld({ runningTag: 'v1.4.0' });
    aws.ecs.on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [deploymentArn('live', 'old')] }).resolves({
      serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'old'), status: 'ROLLBACK_SUCCESSFUL' }],
    });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('1. register a new task-definition revision');
    expect(out).not.toContain('nothing to do');
    expectNoWrites();
  });

  test('a release that is running and recorded needs nothing', async () => {
    // GIVEN
    setUpWorld({ runningTag: 'v1.4.0', tagHistory: ['v1.3.0', 'v1.4.0'] });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('live already runs v1.4.0 (berth-live:7); nothing to do');
    expectNoWrites();
  });
});

describe('berth promote live --latest', () => {
  test('promotes the newest published release, skipping drafts and pre-releases', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--latest', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('latest GitHub release of example-org/backend: v1.4.0');
    expect(github.requests.map((r) => r.path)).toContain('/repos/example-org/backend/releases/latest');
    expectNoWrites();
  });

  test('with --allow-prerelease a newer pre-release counts', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--latest', '--allow-prerelease', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('latest GitHub release of example-org/backend: v1.5.0-rc.1');
  });

  test('sends GITHUB_TOKEN as a bearer token', async () => {
    // WHEN
    await runBerth(['promote', 'live', '--latest', '--dry-run'], { env: { ...env(), GITHUB_TOKEN: 'ghp_test' } });

    // THEN
    expect(github.requests[0].authorization).toBe('Bearer ghp_test');
  });

  test('without github.repository in the config is a usage error', async () => {
    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--latest'], { env: env(withoutGithub) });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain('--latest needs github.repository in');
    expect(aws.ssm).not.toHaveReceivedCommand(GetParameterCommand);
    expectNoWrites();
  });

  test('without github.repository, --tag skips the release check and says so', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env(withoutGithub) });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('GitHub release check skipped: no github.repository in the config');
    expect(out).toContain(`provenance not checked: no github.repository in ${withoutGithub}`);
    expect(github.requests).toHaveLength(0);
  });
});

describe('berth promote checks where the release image comes from', () => {
  test('the image built from the commit of the release tag passes, and the plan says which commit', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out)).toMatchObject({ provenance: { checked: true, commit: commitOf('v1.4.0') } });
    expect(github.requests.map((r) => r.path)).toContain('/repos/example-org/backend/git/ref/tags/v1.4.0');
  });

  test('says on the terminal which commit the image was built from', async () => {
    // WHEN
    const { out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(out).toContain(`provenance: v1.4.0 is the image built from commit ${commitOf('v1.4.0')} (berth:sha-${commitOf('v1.4.0')})`);
  });

  test('a release image that is not the one built from its commit (a branch build pushed the tag first) is refused', async () => {
    // GIVEN sha-<commit of v1.4.0> is another image than v1.4.0
    setUpWorld({ commitDigests: { 'v1.4.0': digestOf('the real build') } });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err.trim().split('\n')).toEqual([
      `berth promote: berth:v1.4.0 (${digestOf('v1.4.0')}) is not the image built from v1.4.0's commit ${commitOf('v1.4.0').slice(0, 12)} (sha-${commitOf('v1.4.0')} is ${digestOf('the real build')}); it was pushed by something other than the release workflow: do not promote it, publish a new release`,
    ]);
    expectNoWrites();
  });

  test('a release whose commit was never built is refused', async () => {
    // GIVEN
    setUpWorld({ commitDigests: { 'v1.4.0': undefined } });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain(
      `berth promote: v1.4.0 points at commit ${commitOf('v1.4.0').slice(0, 12)} of example-org/backend, but ECR has no image berth:sha-${commitOf('v1.4.0')}`,
    );
    expectNoWrites();
  });

  test('an annotated release tag is traced through its tag object to the commit', async () => {
    // GIVEN
    github.tagRefs['v1.4.0'] = { type: 'tag', sha: 'a'.repeat(40) };
    github.tagObjects['a'.repeat(40)] = { type: 'commit', sha: commitOf('v1.4.0') };

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(github.requests.map((r) => r.path)).toContain(`/repos/example-org/backend/git/tags/${'a'.repeat(40)}`);
  });

  test('--allow-prerelease accepts a pre-release tag, not an image from elsewhere', async () => {
    // GIVEN
    setUpWorld({ commitDigests: { 'v1.5.0-rc.1': digestOf('another build') } });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.5.0-rc.1', '--allow-prerelease', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('is not the image built from v1.5.0-rc.1');
    expectNoWrites();
  });

  test('without github.repository it says that provenance was not checked', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json'], { env: env(withoutGithub) });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out)).toMatchObject({ provenance: { checked: false, reason: `no github.repository in ${withoutGithub}` } });
  });
});

describe('berth promote --json', () => {
  test('a refusal puts one JSON document with the error on stdout', async () => {
    // GIVEN
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [], failures: [{ reason: 'MISSING' }] });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(JSON.parse(out)).toEqual({
      error: expect.stringContaining('service berth-live-Service in cluster berth-live-Cluster is missing'),
      exitCode: 3,
    });
    expectNoWrites();
  });
});

describe('berth promote follows as long as the environment takes to release', () => {
  /** The world's service with another bake time, as ECS reports it. */
  function givenBake(minutes: number) {
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'berth-live-Service',
          status: 'ACTIVE',
          taskDefinition: taskDefinitionArn('live', 7),
          desiredCount: 2,
          runningCount: 2,
          pendingCount: 0,
          currentServiceDeployment: deploymentArn('live', 'old'),
          deploymentConfiguration: { strategy: 'BLUE_GREEN', bakeTimeInMinutes: minutes },
        },
      ],
    });
  }

  test('without --timeout, a 29-minute bake gets longer than the old fixed 30 minutes, and the plan says why', async () => {
    // GIVEN
    givenBake(29);

    // WHEN
    const text = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });
    const json = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json'], { env: env() });

    // THEN: no start period in the world's task definition, 10 s x 2 checks, 30 s draining, 20 minutes to place tasks.
    expect(text.out).toContain(
      '  timeout    50m00s (new target healthy 20s + bake 29m00s + draining 30s + 20m00s to place tasks; from ECS and the target groups)',
    );
    expect(JSON.parse(json.out)).toMatchObject({ timeoutSeconds: 50 * 60, timeout: { from: 'release timing' } });
    expectNoWrites();
  });

  test('--timeout wins over the release timing', async () => {
    // GIVEN
    givenBake(29);

    // WHEN
    const { out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json', '--timeout', '2h'], { env: env() });

    // THEN
    expect(JSON.parse(out)).toMatchObject({ timeoutSeconds: 7200, timeout: { seconds: 7200, from: '--timeout' } });
  });

  test("target groups berth may not read count with AWS's longer defaults", async () => {
    // GIVEN
    aws.elbv2.on(DescribeTargetGroupsCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }));

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(
      "from ECS and AWS's defaults (could not read the target groups: AWS denied elasticloadbalancing:DescribeTargetGroups: your role needs",
    );
  });
});

// the release notifications read these two tags of the revision a release registers (infra/release-tags.ts).
describe('the tags of the revision berth promote registers', () => {
  /** The tags of the revision registered for the release (the first registration). */
  const releaseTags = () => aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.tags;

  test("replace the previous release's started-by and release page, never inherit them", async () => {
    // GIVEN live runs v1.3.0, which bob promoted
    setUpWorld({
      runningTags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
        { key: 'berth:release-url', value: releasePage('v1.3.0') },
      ],
    });

    // WHEN alice promotes v1.4.0
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(releaseTags()).toEqual([
      { key: 'app', value: 'berth' },
      { key: 'berth:started-by', value: CALLER_ARN },
      { key: 'berth:release-url', value: releasePage('v1.4.0') },
    ]);
  });

  test('--latest records the page of the release it found', async () => {
    // WHEN
    const { code } = await runBerth(['promote', 'live', '--latest', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(releaseTags()).toContainEqual({ key: 'berth:release-url', value: releasePage('v1.4.0') });
  });

  test('without github.repository there is no page to record, and none of an earlier release is kept', async () => {
    // GIVEN
    setUpWorld({ runningTags: [{ key: 'berth:release-url', value: releasePage('v1.3.0') }] });

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env(withoutGithub) });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(releaseTags()).toEqual([{ key: 'berth:started-by', value: CALLER_ARN }]);
  });

  test('in a GitHub Actions workflow, started-by also names the run', async () => {
    // GIVEN the variables GitHub sets in every workflow run
    const workflow = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'example-org/infra', GITHUB_RUN_ID: '4242' };

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: { ...env(), ...workflow } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(releaseTags()).toContainEqual({
      key: 'berth:started-by',
      value: `${CALLER_ARN} https://github.com/example-org/infra/actions/runs/4242`,
    });
  });

  test('asks STS who runs berth once, before the first write', async () => {
    // WHEN
    await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(aws.sts).toHaveReceivedCommandTimes(GetCallerIdentityCommand, 1);
    expect(aws.sts.commandCalls(GetCallerIdentityCommand)[0].calledBefore(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0])).toBe(
      true,
    );
  });

  test('when STS does not say who runs berth, nothing is written', async () => {
    // GIVEN
    aws.sts.on(GetCallerIdentityCommand).resolves({});

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('berth promote: STS GetCallerIdentity returned no ARN; nothing was changed, try again');
    expectNoWrites();
  });

  test('the copy registered after a failed release keeps the release tags of the revision it copies', async () => {
    // GIVEN live runs v1.3.0, which bob promoted, and the release of v1.4.0 is rolled back
    const bobs = [
      { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
      { key: 'berth:release-url', value: releasePage('v1.3.0') },
    ];
    setUpWorld({ runningTags: bobs, deploymentStatuses: [{ status: 'ROLLBACK_SUCCESSFUL' }] });

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN the release revision is alice's; the copy stands for what runs again, bob's v1.3.0
    expect(code).toBe(EXIT.FAILED);
    expect(releaseTags()).toEqual([
      { key: 'berth:started-by', value: CALLER_ARN },
      { key: 'berth:release-url', value: releasePage('v1.4.0') },
    ]);
    expect(aws.ecs).toHaveReceivedNthSpecificCommandWith(2, RegisterTaskDefinitionCommand, {
      ...restoreOf(7),
      tags: [...bobs, { key: 'berth:restores', value: 'berth-live:7' }, { key: 'berth:failed-release', value: 'berth-live:8' }],
    });
  });

  test('a release that needs no new revision asks STS nothing', async () => {
    // GIVEN live already runs and records v1.4.0
    setUpWorld({ runningTag: 'v1.4.0', tagHistory: ['v1.3.0', 'v1.4.0'] });

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.sts).not.toHaveReceivedCommand(GetCallerIdentityCommand);
  });
});

describe("berth promote runs berth verify's pre-flight before its first write", () => {
  test('a healthy world passes it, reading the promoted image by the digest promote found', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('pre-flight (berth verify): 8 of 8 checks ok');
    expect(aws.ecr).toHaveReceivedCommandWith(BatchGetImageCommand, { imageIds: [{ imageDigest: digestOf('v1.4.0') }] });
    expect(aws.ecr).not.toHaveReceivedCommandWith(BatchGetImageCommand, { imageIds: [{ imageTag: 'v1.4.0' }] });
    expect(aws.iam).toHaveReceivedCommand(GetRoleCommand);
  });

  test('--json carries the pre-flight in the release document', async () => {
    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run', '--json'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    const document = JSON.parse(out) as { preflight: { status: string; findings: { link: string }[] } };
    expect(document.preflight.status).toBe('ok');
    expect(document.preflight.findings.map((f) => f.link)).toEqual(PREFLIGHT_LINKS);
  });

  test('a failing check refuses with the check and its fix, and nothing is written', async () => {
    // GIVEN the promoted image is built for amd64 only, and live runs arm64
    aws.ecr.on(BatchGetImageCommand).resolves({
      images: [{ imageManifestMediaType: 'application/vnd.oci.image.index.v1+json', imageManifest: imageIndex('linux/amd64') }],
    });

    // WHEN
    const { code, out, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(out).toContain('pre-flight (berth verify): 7 of 8 checks ok');
    expect(err).toContain(
      'berth promote: pre-flight check image fails: berth:v1.4.0 is built for linux/amd64, not linux/arm64; live runs arm64 (linux/arm64): its tasks would not start; fix: build it for linux/arm64 too',
    );
    expect(err).toContain('berth verify live --tag v1.4.0 shows every check');
    expectNoWrites();
  });

  test('a failing check refuses a dry run too, which shows what the release would meet', async () => {
    // GIVEN the app's log group is gone
    aws.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });

    // WHEN
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain(
      'pre-flight check log groups fails: /berth/berth/live/app and /berth/berth/live/exec missing: tasks cannot start',
    );
    expectNoWrites();
  });

  test('a warning is printed and the release goes on', async () => {
    // GIVEN a single-platform image: verify cannot tell its architecture
    aws.ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
          imageManifest: JSON.stringify({ schemaVersion: 2, layers: [] }),
        },
      ],
    });

    // WHEN
    const { code, out } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('  WARN image: cannot tell the architecture of the single-platform image berth:v1.4.0');
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
  });

  test('resuming a release that already runs does not run it again', async () => {
    // GIVEN the service runs v1.4.0, not yet recorded
    setUpWorld({ runningTag: 'v1.4.0' });

    // WHEN
    const { code } = await runBerth(['promote', 'live', '--tag', 'v1.4.0', '--yes'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.iam).not.toHaveReceivedCommand(GetRoleCommand);
    expect(aws.ecr).not.toHaveReceivedCommand(BatchGetImageCommand);
  });
});
