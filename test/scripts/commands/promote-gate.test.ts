import 'aws-sdk-client-mock-jest';
import {
  ContinueServiceDeploymentCommand,
  DescribeServicesCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ServiceDeployment,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { ManifestRelease } from '../../../infra/manifest';
import { EXIT } from '../../../scripts/core/errors';
import { startHttpsServer, type LocalHttpsServer } from '../../_helpers/https-server';
import { aws } from '../../_helpers/mock-aws';
import {
  deploymentArn,
  digestOf,
  expectNoWrites,
  pausedAtGate,
  setUpWorld,
  taskDefinitionArn,
  writeConfig,
} from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const HOOK = 'ecs-pause-e7tK9G_WRJqNF_EOMjztDXfKenlJuEUVjsNStf4WLKw';
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
const RELEASE: ManifestRelease = {
  strategy: { type: 'canary', percent: 10, bakeMinutes: 5 },
  smoke: [
    { path: '/health', status: 200, bodyContains: 'ok' },
    { path: '/version', status: 200 },
  ],
  approve: true,
  pause: { timeoutMinutes: 60 },
};
const PAUSED = pausedAtGate(HOOK);
const CANARY = { strategy: 'CANARY' as const, canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: 5 } };

let server: LocalHttpsServer;
let config: string;
beforeAll(async () => {
  server = await startHttpsServer('be.example.com');
  config = writeConfig(false);
});
afterAll(() => server.close());

function world(after: readonly Partial<ServiceDeployment>[] = []) {
  setUpWorld({
    manifest: { url: `https://be.example.com:${server.port}`, release: RELEASE },
    deploymentStatuses: [
      { status: 'PENDING', lifecycleStage: 'RECONCILE_SERVICE' },
      { status: 'IN_PROGRESS', lifecycleStage: 'TEST_TRAFFIC_SHIFT' },
      PAUSED,
      ...after,
    ],
  });
  aws.ecs.on(ContinueServiceDeploymentCommand).resolves({ serviceDeploymentArn: deploymentArn('live', 'new') });
}

const SUCCESS: Partial<ServiceDeployment>[] = [
  {
    status: 'IN_PROGRESS',
    lifecycleStage: 'PRODUCTION_TRAFFIC_SHIFT',
    deploymentConfiguration: CANARY,
    targetServiceRevision: { arn: 'arn:revision/new', requestedTaskCount: 2, runningTaskCount: 2, requestedProductionTrafficWeight: 10 },
  },
  { status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' },
];

beforeEach(() => {
  server.requests.length = 0;
  server.routes = { '/health': { status: 200, body: 'ok' }, '/version': { status: 200, body: 'v1.4.0' } };
  world(SUCCESS);
});

function run(args: string[], options: { stdinIsTTY?: boolean; stdinText?: string; signal?: AbortSignal } = {}) {
  return runBerth(['promote', 'live', '--tag', 'v1.4.0', ...args], {
    env: { BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' },
    smokeConnection: { lookup: server.lookup, ca: server.ca },
    ...options,
  });
}

describe('berth promote at the smoke-test gate', () => {
  test('pause reached, checks pass against the new tasks, the operator approves, production traffic shifts, the tag is recorded', async () => {
    // WHEN the operator confirms the release, then answers yes at the gate
    const { code, out, err } = await run([], { stdinIsTTY: true, stdinText: 'y\n' });

    // THEN
    expect(err).not.toContain('berth promote:');
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('paused at the smoke-test gate');
    expect(out).toContain('rolls back at 10:42 UTC unless continued');
    expect(out).toMatch(/ok {3}\/health {2}expected 200 \+ body "ok" {2}got 200/);
    expect(out).toMatch(/ok {3}\/version {2}expected 200 {2}got 200/);
    expect(err).toContain('Shift production traffic to v1.4.0? [y/N]');
    expect(server.requests.map((r) => [r.path, r.headers['x-berth-test']])).toEqual([
      ['/health', 'green'],
      ['/version', 'green'],
    ]);
    expect(aws.ecs).toHaveReceivedCommandTimes(ContinueServiceDeploymentCommand, 1);
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, {
      serviceDeploymentArn: deploymentArn('live', 'new'),
      hookId: HOOK,
      action: 'CONTINUE',
    });
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
    expect(aws.ecs.commandCalls(ContinueServiceDeploymentCommand)[0].calledBefore(aws.ssm.commandCalls(PutParameterCommand)[0])).toBe(true);
  });

  test('the canary step and the share of production traffic on the new tasks show in the progress lines', async () => {
    // WHEN
    const { err } = await run(['--yes']);

    // THEN
    expect(err).toContain('step 1 of 2 · production 10% on new tasks');
  });

  test('a failing check says which, rolls the deployment back at the pause and records nothing', async () => {
    // GIVEN
    server.routes = { '/health': { status: 200, body: 'ok' }, '/version': { status: 503, body: 'starting' } };
    world([
      { status: 'ROLLBACK_IN_PROGRESS' },
      { status: 'ROLLBACK_SUCCESSFUL', sourceServiceRevisions: [{ arn: 'arn:revision/running' }] },
    ]);

    // WHEN
    const { code, out, err } = await run(['--yes']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(out).toMatch(/FAIL \/version {2}expected 200 {2}got status 503/);
    expect(err).toContain('after smoke check failed: /version (status 503)');
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: HOOK, action: 'ROLLBACK' });
    expect(aws.ecs).not.toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { action: 'CONTINUE' });
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('without a terminal and without --yes it refuses before any change, as today', async () => {
    // WHEN --yes is not given and stdin is no terminal
    const { code, err } = await runBerth(['promote', 'live', '--tag', 'v1.4.0'], {
      env: { BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' },
      smokeConnection: { lookup: server.lookup, ca: server.ca },
    });

    // THEN the plan's question refuses before anything is written, as today
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('standard input is not a terminal');
    expect(aws.ecs).not.toHaveReceivedCommand(ContinueServiceDeploymentCommand);
  });

  test('run again while paused: resumes at the gate (checks, question, continue) and records after success', async () => {
    // GIVEN an earlier run was stopped at the pause: the deployment towards v1.4.0 waits at its hook
    setUpWorld({
      manifest: { url: `https://be.example.com:${server.port}`, release: RELEASE },
      // the plan's look and the first look while following both find it paused.
      deploymentStatuses: [PAUSED, PAUSED, ...SUCCESS],
    });
    aws.ecs.on(ContinueServiceDeploymentCommand).resolves({});
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });
    aws.ecs.on(DescribeServiceRevisionsCommand).resolves({
      serviceRevisions: [{ containerImages: [{ containerName: 'app', image: `${REPO}:v1.4.0`, imageDigest: digestOf('v1.4.0') }] }],
    });

    // WHEN the operator answers the resume question and the gate's, on a terminal
    const { code, out, err } = await run([], { stdinIsTTY: true, stdinText: 'y\n' });

    // THEN
    expect(err).not.toContain('berth promote:');
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('paused at the smoke-test gate');
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: HOOK, action: 'CONTINUE' });
    expect(aws.ssm).toHaveReceivedCommandWith(PutParameterCommand, { Value: 'v1.4.0' });
  });

  test('Ctrl-C at the pause stops watching, leaves the deployment paused, and says how to resume and when it rolls back', async () => {
    // GIVEN the operator presses Ctrl-C while the checks run
    const controller = new AbortController();
    server.onRequest = () => controller.abort();

    // WHEN
    const { code, err } = await run([], { stdinIsTTY: true, stdinText: 'y\n', signal: controller.signal });
    server.onRequest = undefined;

    // THEN
    expect(code).toBe(EXIT.INTERRUPTED);
    expect(err).toContain('stopped at the smoke-test gate; deployment new stays paused and rolls back at 10:42 UTC unless continued');
    expect(err).toContain('run berth promote live --tag v1.4.0 again to resume at the gate');
    expect(aws.ecs).not.toHaveReceivedCommand(ContinueServiceDeploymentCommand);
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  test('berth deploy pre (approve off by default) runs the checks and continues without asking', async () => {
    // GIVEN
    setUpWorld({
      environment: 'pre',
      manifest: { url: `https://be.example.com:${server.port}`, release: { ...RELEASE, approve: false } },
      deploymentStatuses: [{ status: 'PENDING' }, PAUSED, ...SUCCESS],
    });
    aws.ecs.on(ContinueServiceDeploymentCommand).resolves({});

    // WHEN no terminal, no --yes: as in CI
    const { code, out, err } = await runBerth(['deploy', 'pre'], {
      env: { BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' },
      smokeConnection: { lookup: server.lookup, ca: server.ca },
    });

    // THEN
    expect(err).not.toContain('berth deploy:');
    expect(code).toBe(EXIT.OK);
    expect(out).toMatch(/ok {3}\/health/);
    expect(err).not.toContain('[y/N]');
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: HOOK, action: 'CONTINUE' });
  });
});

/** The service as ECS reports it, deploying with this configuration (the world's service otherwise). */
function serviceDeploysWith(environment: 'pre' | 'live', deploymentConfiguration: Record<string, unknown>) {
  aws.ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        serviceName: `berth-${environment}-Service`,
        serviceArn: `arn:aws:ecs:eu-west-1:123456789012:service/berth-${environment}/berth-${environment}-Service`,
        status: 'ACTIVE',
        taskDefinition: taskDefinitionArn(environment, 7),
        desiredCount: 2,
        runningCount: 2,
        pendingCount: 0,
        currentServiceDeployment: deploymentArn(environment, 'old'),
        currentServiceRevisions: [{ arn: 'arn:revision/running' }],
        deploymentConfiguration: { bakeTimeInMinutes: 5, ...deploymentConfiguration },
      },
    ],
  });
}

describe('the plan --dry-run prints', () => {
  test('promote: the gate (each smoke check, the approval, the pause timeout) and the canary steps, and changes nothing', async () => {
    // GIVEN live deploys canary 10 % for 5 minutes, with the gate of RELEASE
    serviceDeploysWith('live', CANARY);

    // WHEN
    const { code, out } = await run(['--dry-run']);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('  traffic    canary 10 % for 5 min, then 100 %\n');
    expect(out).toContain(
      '  gate       pauses before production traffic (test traffic on the new tasks); ECS rolls back after 60 min unless continued\n' +
        '             smoke check /health  expects 200 + body "ok"\n' +
        '             smoke check /version  expects 200\n' +
        '             then a person approves the shift of production traffic (--yes answers yes once the checks pass)\n',
    );
    // the canary's 5 minutes count in the timeout the plan shows
    expect(out).toMatch(/ {2}timeout {4}\S+ \(new target healthy \S+ \+ traffic steps 5m00s \+ bake 5m00s/);
    expectNoWrites();
    expect(aws.ecs).not.toHaveReceivedCommand(ContinueServiceDeploymentCommand);
  });

  test('--json: the strategy and the gate in the plan document', async () => {
    // GIVEN
    serviceDeploysWith('live', CANARY);

    // WHEN
    const { code, out } = await run(['--dry-run', '--json']);

    // THEN
    expect(code).toBe(EXIT.OK);
    const plan = JSON.parse(out);
    expect(plan.strategy).toEqual({ type: 'canary', percent: 10, bakeMinutes: 5 });
    expect(plan.gate).toEqual({ smoke: RELEASE.smoke, approve: true, pauseTimeoutMinutes: 60 });
    expect(plan.timeout.timing.trafficShiftSeconds).toBe(300);
  });

  test('deploy pre: linear steps, and checks without a person', async () => {
    // GIVEN pre deploys linear 25 % steps of 3 minutes, with one check and no approval
    setUpWorld({
      environment: 'pre',
      manifest: {
        release: {
          strategy: { type: 'linear', stepPercent: 25, stepBakeMinutes: 3 },
          smoke: [{ path: '/health', status: 200, header: { name: 'x-version', value: '1.4' } }],
          approve: false,
          pause: { timeoutMinutes: 15 },
        },
      },
    });
    serviceDeploysWith('pre', { strategy: 'LINEAR', linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 3 } });

    // WHEN
    const { code, out } = await runBerth(['deploy', 'pre', '--dry-run'], { env: { BERTH_CONFIG: config } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('  traffic    linear 25 % steps every 3 min: 100 % after 4 steps (9 min)\n');
    expect(out).toContain(
      'ECS rolls back after 15 min unless continued\n             smoke check /health  expects 200 + header x-version: "1.4"\n',
    );
    expect(out).toContain('             then production traffic shifts without asking\n');
    expect(out).toContain('traffic steps 9m00s');
    expectNoWrites();
  });

  test('rollback without a gate: blue/green at once, and no gate line', async () => {
    // GIVEN live releases blue/green and its manifest has no PAUSE hook
    setUpWorld({ manifest: { release: { strategy: { type: 'blue-green' }, smoke: [], approve: false } } });

    // WHEN
    const { code, out } = await runBerth(['rollback', 'live', '--dry-run'], { env: { BERTH_CONFIG: config } });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toContain('  traffic    blue/green: all production traffic at once\n');
    expect(out).not.toContain('  gate ');
    expectNoWrites();
  });
});
