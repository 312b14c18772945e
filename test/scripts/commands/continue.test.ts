import 'aws-sdk-client-mock-jest';
import {
  ContinueServiceDeploymentCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  RegisterTaskDefinitionCommand,
  type ServiceDeployment,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand } from '@aws-sdk/client-ssm';
import type { ManifestRelease } from '../../../infra/manifest';
import { EXIT } from '../../../scripts/core/errors';
import { startHttpsServer, type LocalHttpsServer } from '../../_helpers/https-server';
import { aws } from '../../_helpers/mock-aws';
import { deploymentArn, digestOf, pausedAtGate, setUpWorld, writeConfig } from '../../_helpers/release-world';
import { runBerth } from '../../_helpers/run-berth';

const HOOK = 'ecs-pause-cdk-deploy';
const REPO = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth';
const RELEASE: ManifestRelease = {
  strategy: { type: 'blue-green' },
  smoke: [{ path: '/health', status: 200, bodyContains: 'ok' }],
  approve: true,
  pause: { timeoutMinutes: 30 },
};
const PAUSED = pausedAtGate(HOOK);

let server: LocalHttpsServer;
let config: string;
beforeAll(async () => {
  server = await startHttpsServer('be.example.com');
  config = writeConfig(false);
});
afterAll(() => server.close());

/** A deployment a `cdk deploy` started waits at the gate; after the gate's answer it goes on to `after`. */
function pausedByCdkDeploy(after: readonly Partial<ServiceDeployment>[]) {
  setUpWorld({ manifest: { url: `https://be.example.com:${server.port}`, release: RELEASE }, deploymentStatuses: [PAUSED, ...after] });
  aws.ecs.on(ContinueServiceDeploymentCommand).resolves({});
  aws.ecs
    .on(ListServiceDeploymentsCommand)
    .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });
  aws.ecs.on(DescribeServiceRevisionsCommand).resolves({
    serviceRevisions: [{ containerImages: [{ containerName: 'app', image: `${REPO}:v1.4.0`, imageDigest: digestOf('v1.4.0') }] }],
  });
}

function run(args: string[], options: { stdinIsTTY?: boolean; stdinText?: string } = {}) {
  return runBerth(['continue', 'live', ...args], {
    env: { BERTH_CONFIG: config, BERTH_POLL_INTERVAL_MS: '1' },
    smokeConnection: { lookup: server.lookup, ca: server.ca },
    ...options,
  });
}

beforeEach(() => {
  server.requests.length = 0;
  server.routes = { '/health': { status: 200, body: 'ok' } };
});

describe('berth continue: the gate for a deployment somebody else started', () => {
  test('runs the checks, asks, continues and follows to the end, and records no tag', async () => {
    // GIVEN
    pausedByCdkDeploy([{ status: 'SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }]);

    // WHEN
    const { code, out, err } = await run([], { stdinIsTTY: true, stdinText: 'y\n' });

    // THEN
    expect(err).not.toContain('berth continue:');
    expect(code).toBe(EXIT.OK);
    expect(out).toMatch(/ok {3}\/health/);
    expect(err).toContain(`Shift production traffic to ${REPO}:v1.4.0? [y/N]`);
    expect(server.requests.map((r) => r.headers['x-berth-test'])).toEqual(['green']);
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: HOOK, action: 'CONTINUE' });
    expect(out).toContain('berth promote live --tag <its tag> records it');
    expect(aws.ssm).not.toHaveReceivedCommand(PutParameterCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(RegisterTaskDefinitionCommand);
    expect(aws.ecs).not.toHaveReceivedCommand(UpdateServiceCommand);
  });

  test('a failing check rolls the deployment back before production traffic, and exits 4', async () => {
    // GIVEN
    pausedByCdkDeploy([{ status: 'ROLLBACK_SUCCESSFUL', lifecycleStage: 'CLEAN_UP' }]);
    server.routes = { '/health': { status: 503, body: 'down' } };

    // WHEN
    const { code, err } = await run(['--yes']);

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(err).toContain('after smoke check failed: /health');
    expect(aws.ecs).toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { hookId: HOOK, action: 'ROLLBACK' });
    expect(aws.ecs).not.toHaveReceivedCommandWith(ContinueServiceDeploymentCommand, { action: 'CONTINUE' });
  });

  test('refuses when no deployment waits at the gate, and changes nothing', async () => {
    // GIVEN a deployment that moves, not paused
    pausedByCdkDeploy([]);
    setUpWorld({
      manifest: { url: `https://be.example.com:${server.port}`, release: RELEASE },
      deploymentStatuses: [{ status: 'IN_PROGRESS', lifecycleStage: 'BAKE_TIME' }],
    });
    aws.ecs
      .on(ListServiceDeploymentsCommand)
      .resolves({ serviceDeployments: [{ serviceDeploymentArn: deploymentArn('live', 'new'), status: 'IN_PROGRESS' }] });

    // WHEN
    const { code, err } = await run(['--yes']);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain('no deployment of');
    expect(err).toContain('waits at the smoke-test gate');
    expect(aws.ecs).not.toHaveReceivedCommand(ContinueServiceDeploymentCommand);
  });
});
