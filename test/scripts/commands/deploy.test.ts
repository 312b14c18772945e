import 'aws-sdk-client-mock-jest';
import {
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { EXIT } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import {
  CALLER_ARN,
  deploymentArn,
  digestOf,
  expectNoWrites,
  releasePage,
  setUpWorld,
  taskDefinitionArn,
  writeConfig,
} from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
let config: string;

beforeAll(() => {
  config = writeConfig(true);
});
beforeEach(() => setUpWorld({ environment: 'pre' }));

const env = () => ({ BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' });

describe('berth deploy pre', () => {
  test('rolls pre onto master pinned to its digest, without asking and without touching any parameter', async () => {
    // WHEN stdin is not a terminal and there is no --yes: deploy does not ask
    const { code, out } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(`ECR image berth:master: ${digestOf('master')}`);
    expect(out).toContain(`pre now runs master (berth-pre:8, ${digestOf('master')})`);
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, {
      family: 'berth-pre',
      containerDefinitions: [
        expect.objectContaining({ name: 'app', image: `${REPO}@${digestOf('master')}` }),
        expect.objectContaining({ name: 'log-router' }),
      ],
    });
    expect(aws.ecs).toHaveReceivedCommandWith(UpdateServiceCommand, { taskDefinition: taskDefinitionArn('pre', 8) });
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('--dry-run shows the digest change and changes nothing', async () => {
    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(`containerDefinitions[app].image: "${REPO}@${digestOf('old-master')}" -> "${REPO}@${digestOf('master')}"`);
    expectNoWrites();
  });

  test('--dry-run --json gives the timeout berth follows with, which the example workflow reads', async () => {
    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre', '--dry-run', '--json'], { env: env() });

    // THEN: pre's world bakes 5 minutes; its timing plus 20 minutes is under the 30-minute floor.
    expect(code).toBe(EXIT.OK);
    expect(JSON.parse(out)).toMatchObject({ dryRun: true, timeoutSeconds: 1800, timeout: { from: 'release timing' } });
  });

  test('pre already on the current master digest needs nothing', async () => {
    // GIVEN master has not moved since the last deploy
    aws.ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{ imageDigest: digestOf('old-master'), imageTags: ['master'] }] });

    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('pre already runs master (berth-pre:7); nothing to do');
    expectNoWrites();
  });

  test.each([
    [['deploy', 'live'], 'unknown environment "live"; allowed: pre; live runs releases: berth promote live --tag vX.Y.Z'],
    [['deploy'], 'missing environment; allowed: pre'],
    [['deploy', 'pre', 'now'], 'unexpected argument "now"'],
  ])('%j is a usage error', async (argv, message) => {
    // WHEN
    const { code, err } = await runBerth(argv, { env: env() });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain(message);
    expectNoWrites();
  });

  test('no master image in ECR is refused', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre', ecrTags: [] });

    // WHEN
    const { code, err } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('no image berth:master in ECR');
    expectNoWrites();
  });

  test('a deployment in progress is refused', async () => {
    // GIVEN
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('pre', 'other'), status: 'PENDING' }] });
    aws.ecs.on(DescribeServiceDeploymentsCommand).resolves({ serviceDeployments: [{ status: 'PENDING' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({});

    // WHEN
    const { code, err } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('a deployment of berth-pre-Service is already PENDING (towards another revision)');
    expectNoWrites();
  });

  test('a rolled-back deployment exits 4 and registers a copy of what runs, still pinned to its digest', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre', deploymentStatuses: [{ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'circuit breaker' }] });

    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(aws.ecs).toHaveReceivedNthSpecificCommandWith(2, RegisterTaskDefinitionCommand, {
      family: 'berth-pre',
      containerDefinitions: [
        expect.objectContaining({ name: 'app', image: `${REPO}@${digestOf('old-master')}` }),
        expect.objectContaining({ name: 'log-router' }),
      ],
      tags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:restores', value: 'berth-pre:7' },
        { key: 'berth:failed-release', value: 'berth-pre:8' },
      ],
    });
    expect(out).toContain('registered berth-pre:9, a copy of berth-pre:7 (what runs after the rollback)');
  });

  test('a failed deployment exits 4', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre', deploymentStatuses: [{ status: 'ROLLBACK_FAILED', statusReason: 'tasks failed to start' }] });

    // WHEN
    const { code, err } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('master was not released to pre: the deployment ended ROLLBACK_FAILED (rolled back): tasks failed to start');
  });
});

// the release notifications read these two tags of the revision a release registers (infra/release-tags.ts).
describe('the tags of the revision berth deploy pre registers', () => {
  test('name who started it, and carry no release page even when the running revision has one', async () => {
    // GIVEN pre runs a revision whose tags name an earlier release, its starter and a page
    setUpWorld({
      environment: 'pre',
      runningTags: [
        { key: 'app', value: 'berth' },
        { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
        { key: 'berth:release-url', value: releasePage('v1.3.0') },
      ],
    });

    // WHEN
    const { code } = await runBerth(['deploy', 'pre'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.tags).toEqual([
      { key: 'app', value: 'berth' },
      { key: 'berth:started-by', value: CALLER_ARN },
    ]);
  });

  test('--dry-run shows the tags the revision would get', async () => {
    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre', '--dry-run'], { env: env() });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain(`  tags       berth:started-by=${CALLER_ARN}\n`);
    expect(out).not.toContain('berth:release-url');
    expectNoWrites();
  });
});
