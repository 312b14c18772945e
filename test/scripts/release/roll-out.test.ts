import 'aws-sdk-client-mock-jest';
import { PassThrough } from 'node:stream';
import { findImage } from '../../../scripts/aws/ecr-image';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import { Output } from '../../../scripts/cli/output';
import { openSession, type Session } from '../../../scripts/cli/session';
import { planRollOut, rollOut, type RollOutMode, type RollOutRequest } from '../../../scripts/release/roll-out';
import { EXIT, UnreachableError } from '../../../scripts/core/errors';
import { aws } from '../../_helpers/mock-aws';
import {
  CALLER_ARN,
  deploymentArn,
  digestOf,
  pausedAtGate,
  setUpWorld,
  taskDefinitionArn,
  writeConfig,
} from '../../_helpers/release-world';

const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
const config = writeConfig(false);

/** The world of each mode: what the service runs, what is moving, what the parameter records. */
const WORLDS: Record<RollOutMode, () => void> = {
  deploy: () => setUpWorld(),
  resume: () => {
    setUpWorld();
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand, { serviceRevisionArns: ['arn:revision/new'] }).resolves({
      serviceRevisions: [
        {
          taskDefinition: taskDefinitionArn('live', 8),
          containerImages: [{ containerName: 'app', image: `${REPO}:v1.4.0`, imageDigest: digestOf('v1.4.0') }],
        },
      ],
    });
  },
  record: () => setUpWorld({ runningTag: 'v1.4.0' }),
  nothing: () => setUpWorld({ runningTag: 'v1.4.0', tagHistory: ['v1.3.0', 'v1.4.0'] }),
};

async function liveSession(): Promise<{ session: Session; request: RollOutRequest }> {
  const session = await openSession({}, { BERTH_CONFIG: config }, 'live');
  const image = await findImage(session.ecr, 'berth', 'v1.4.0');
  return {
    session,
    request: { verb: 'promote', tag: 'v1.4.0', image, imageReference: `${REPO}:v1.4.0`, resumeCommand: 'berth promote live --tag v1.4.0' },
  };
}

function quietOutput(): Output {
  return new Output({ stdout: new PassThrough(), stderr: new PassThrough() }, false);
}

describe('the roll-out plan', () => {
  test.each([
    [
      'deploy',
      { registers: true, deploymentArn: undefined, diff: [`containerDefinitions[app].image: "${REPO}:v1.3.0" -> "${REPO}:v1.4.0"`] },
    ],
    ['resume', { registers: false, deploymentArn: deploymentArn('live', 'new'), diff: [] }],
    ['record', { registers: false, deploymentArn: undefined, diff: [] }],
    ['nothing', { registers: false, deploymentArn: undefined, diff: [] }],
  ] as const)('plans %s in its world, and writes nothing', async (mode, expected) => {
    // GIVEN
    WORLDS[mode]();
    const { session, request } = await liveSession();

    // WHEN
    const plan = await planRollOut(session, request);

    // THEN
    expect(plan.mode).toBe(mode);
    expect(plan.current).toEqual({
      taskDefinition: taskDefinitionArn('live', 7),
      image: `${REPO}:${mode === 'record' || mode === 'nothing' ? 'v1.4.0' : 'v1.3.0'}`,
    });
    expect(plan.parameter).toBe('/berth/berth/live/image-tag');
    expect(plan.registration !== undefined).toBe(expected.registers);
    expect(plan.deploymentArn).toBe(expected.deploymentArn);
    expect(plan.taskDefinitionDiff).toEqual(expected.diff);
    expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});

describe('the release tags of the plan', () => {
  test('a release page ECS would refuse as a tag value is left out, not cut or altered, and the plan says why', async () => {
    // GIVEN a page whose address holds characters a tag value may not (% and ?)
    WORLDS.deploy();
    const { session, request } = await liveSession();
    const page = 'https://github.com/example-org/backend/releases/tag/v1.4.0%2Bbuild?x=1';

    // WHEN
    const plan = await planRollOut(session, { ...request, releaseUrl: page });

    // THEN
    expect(plan.releaseTags).toEqual({ startedBy: CALLER_ARN });
    expect(plan.registration?.tags?.map((t) => t.key)).not.toContain('berth:release-url');
    expect(plan.releaseTagNotes).toEqual([
      `berth:release-url left out: ${page} is not a valid tag value (at most 256 letters, numbers, spaces and _ . : / = + - @)`,
    ]);
  });
});

describe('rolling out', () => {
  test.each([
    ['deploy', { register: 1, update: 1, follow: true, record: 1 }],
    ['resume', { register: 0, update: 0, follow: true, record: 1 }],
    ['record', { register: 0, update: 0, follow: false, record: 1 }],
    ['nothing', { register: 0, update: 0, follow: false, record: 0 }],
  ] as const)('in the %s world sends exactly the writes of its mode', async (mode, expected) => {
    // GIVEN
    WORLDS[mode]();
    const { session, request } = await liveSession();

    // WHEN
    const code = await rollOut(
      session,
      request,
      { dryRun: false, signal: new AbortController().signal, timeoutSeconds: 60, intervalMs: 1 },
      quietOutput(),
    );

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandTimes(RegisterTaskDefinitionCommand, expected.register);
    expect(aws.ecs).toHaveReceivedCommandTimes(UpdateServiceCommand, expected.update);
    expect(aws.ssm).toHaveReceivedCommandTimes(PutParameterCommand, expected.record);
    if (expected.record > 0) expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
    const looks = aws.ecs
      .commandCalls(DescribeServiceDeploymentsCommand)
      .filter((call) => call.args[0].input.serviceDeploymentArns?.[0] === deploymentArn('live', 'new'));
    expect(looks.length > 0).toBe(expected.follow);
    // the tag is recorded only after the deployment was seen to succeed.
    if (expected.follow) expect(aws.ssm.commandCalls(PutParameterCommand)[0].calledAfter(looks.at(-1)!)).toBe(true);
  });
});

describe('a network that fails in the middle of a roll-out', () => {
  test('keeps the one line and adds how to resume, and records nothing', async () => {
    // GIVEN the service was updated, then ECS stops answering
    WORLDS.deploy();
    aws.ecs
      .on(DescribeServiceDeploymentsCommand, { serviceDeploymentArns: [deploymentArn('live', 'new')] })
      .rejects(new UnreachableError('no answer from ECS at https://ecs.eu-west-1.amazonaws.com within 20s (2 attempt(s))'));
    const { session, request } = await liveSession();

    // WHEN
    const rolled = rollOut(
      session,
      request,
      { dryRun: false, signal: new AbortController().signal, timeoutSeconds: 60, intervalMs: 1 },
      quietOutput(),
    );

    // THEN
    await expect(rolled).rejects.toThrow(
      new UnreachableError(
        'no answer from ECS at https://ecs.eu-west-1.amazonaws.com within 20s (2 attempt(s)). What ECS started goes on: watch it with berth status live --watch; run berth promote live --tag v1.4.0 again to follow it to the end and record the tag',
      ),
    );
    expect(aws.ecs).toHaveReceivedCommand(UpdateServiceCommand);
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});

describe('the follow timeout and a person at the smoke-test gate', () => {
  afterEach(() => jest.restoreAllMocks());

  test('a person answering after 10 minutes does not use up a 5-minute follow timeout: the gate is outside it, bounded by the hook', async () => {
    // GIVEN live pauses for approval (the hook rolls back after 30 minutes) and berth follows for 5 minutes
    setUpWorld({
      manifest: { release: { strategy: { type: 'blue-green' }, smoke: [], approve: true, pause: { timeoutMinutes: 30 } } },
      deploymentStatuses: [
        { status: 'PENDING', lifecycleStage: 'RECONCILE_SERVICE' },
        pausedAtGate('ecs-pause-1'),
        { status: 'IN_PROGRESS', lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT' },
        { status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' },
        { status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' },
      ],
    });
    aws.ecs.on(ContinueServiceDeploymentCommand).resolves({});
    const { session, request } = await liveSession();
    // a clock that moves a second per look, and ten minutes while the person thinks.
    let clock = Date.parse('2026-12-02T10:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
    const approve = jest.fn(async () => {
      clock += 10 * 60 * 1000;
      return 'yes' as const;
    });

    // WHEN
    const code = await rollOut(
      session,
      request,
      { dryRun: false, signal: new AbortController().signal, timeoutSeconds: 300, intervalMs: 1, gate: { approve } },
      quietOutput(),
    );

    // THEN berth followed to the end and recorded the tag
    expect(approve).toHaveBeenCalledTimes(1);
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: 'ecs-pause-1', action: 'CONTINUE' });
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
  });
});

describe('a person answering after the pause timed out', () => {
  afterEach(() => jest.restoreAllMocks());

  test('says the pause timed out and ECS rolls back, instead of an AWS error, and records nothing', async () => {
    // GIVEN the hook expires at 10:42; the person answers yes at 10:50, when ECS refuses to continue
    setUpWorld({
      manifest: { release: { strategy: { type: 'blue-green' }, smoke: [], approve: true, pause: { timeoutMinutes: 30 } } },
      deploymentStatuses: [
        { status: 'PENDING', lifecycleStage: 'RECONCILE_SERVICE' },
        pausedAtGate('ecs-pause-1'),
        { status: 'ROLLBACK_IN_PROGRESS' },
        { status: 'ROLLBACK_SUCCESSFUL', sourceServiceRevisions: [{ arn: 'arn:revision/running' }] },
      ],
    });
    aws.ecs
      .on(ContinueServiceDeploymentCommand)
      .rejects(Object.assign(new Error('The lifecycle hook has already timed out.'), { name: 'InvalidParameterException' }));
    const { session, request } = await liveSession();
    let clock = Date.parse('2026-12-02T10:00:00Z');
    jest.spyOn(Date, 'now').mockImplementation(() => (clock += 1000));
    const approve = async () => {
      clock = Date.parse('2026-12-02T10:50:00Z');
      return 'yes' as const;
    };

    // WHEN
    const rolled = rollOut(
      session,
      request,
      { dryRun: false, signal: new AbortController().signal, timeoutSeconds: 300, intervalMs: 1, gate: { approve } },
      quietOutput(),
    );

    // THEN
    await expect(rolled).rejects.toThrow(
      /the deployment ended ROLLBACK_SUCCESSFUL \(rolled back\) after the smoke-test gate's pause timed out at 10:42 UTC, before production traffic was continued/,
    );
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('an ECS refusal before the timeout is an error, as any other', async () => {
    // GIVEN the person answers at once, and ECS refuses
    setUpWorld({
      manifest: { release: { strategy: { type: 'blue-green' }, smoke: [], approve: true, pause: { timeoutMinutes: 30 } } },
      deploymentStatuses: [{ status: 'PENDING' }, pausedAtGate('ecs-pause-1')],
    });
    aws.ecs.on(ContinueServiceDeploymentCommand).rejects(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    const { session, request } = await liveSession();
    jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-12-02T10:00:00Z'));

    // WHEN
    const rolled = rollOut(
      session,
      request,
      { dryRun: false, signal: new AbortController().signal, timeoutSeconds: 300, intervalMs: 1, gate: { approve: async () => 'yes' } },
      quietOutput(),
    );

    // THEN
    await expect(rolled).rejects.toThrow('Access denied');
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});
