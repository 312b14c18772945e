import 'aws-sdk-client-mock-jest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { deployPreArgv, runDeployPreAction } from '../../../scripts/action/deploy-pre';
import { EXIT } from '../../../scripts/core/errors';
import { captureStreams } from '../../_helpers/capture-streams';
import { aws } from '../../_helpers/mock-aws';
import { expectNoWrites, setUpWorld } from '../../_helpers/release-world';

// a checkout of berth as GitHub lays out an action: the config lives in it, relative to its root.
let actionRoot: string;

beforeAll(() => {
  actionRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-action-'));
  fs.mkdirSync(path.join(actionRoot, 'config'));
  fs.writeFileSync(path.join(actionRoot, 'config', 'acme.json'), JSON.stringify({ appName: 'berth', region: 'eu-west-1' }));
});
beforeEach(() => setUpWorld({ environment: 'pre' }));

async function runAction(env: NodeJS.ProcessEnv) {
  const captured = captureStreams();
  const code = await runDeployPreAction(
    {
      streams: { stdout: captured.stdout, stderr: captured.stderr },
      env: { BERTH_POLL_INTERVAL_MS: '1', ...env },
      stdin: new PassThrough(),
      signal: new AbortController().signal,
    },
    actionRoot,
  );
  return { code, out: captured.out, err: captured.err };
}

describe('the berth deploy pre action', () => {
  test('deploys pre with the config of the checkout it runs from', async () => {
    // WHEN
    const { code, out } = await runAction({ INPUT_CONFIG: 'config/acme.json', INPUT_TIMEOUT: '40m' });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ssm).toHaveReceivedCommandWith(GetParameterCommand, { Name: '/berth/berth/pre/manifest' });
    expect(aws.ecs).toHaveReceivedCommandWith(RegisterTaskDefinitionCommand, { family: 'berth-pre' });
    expect(aws.ecs).toHaveReceivedCommand(UpdateServiceCommand);
    expect(out).toContain('pre now runs master (berth-pre:8');
    expect(out).not.toContain('::error');
  });

  test("tags the revision with the assumed role and the workflow run, and no release page, replacing the running revision's", async () => {
    // GIVEN pre runs a revision tagged by an earlier release; the step runs in workflow run 777 of acme/infra
    setUpWorld({
      environment: 'pre',
      runningTags: [
        { key: 'berth:started-by', value: 'arn:aws:sts::123456789012:assumed-role/releaser/bob' },
        { key: 'berth:release-url', value: 'https://github.com/example-org/backend/releases/tag/v1.3.0' },
      ],
    });
    aws.sts
      .on(GetCallerIdentityCommand)
      .resolves({ Arn: 'arn:aws:sts::123456789012:assumed-role/berth-pre-deploy/GitHubActions', Account: '123456789012' });
    const workflow = { GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/infra', GITHUB_RUN_ID: '777' };

    // WHEN
    const { code } = await runAction({ INPUT_CONFIG: 'config/acme.json', ...workflow });

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(aws.ecs.commandCalls(RegisterTaskDefinitionCommand)[0].args[0].input.tags).toEqual([
      {
        key: 'berth:started-by',
        value: 'arn:aws:sts::123456789012:assumed-role/berth-pre-deploy/GitHubActions https://github.com/acme/infra/actions/runs/777',
      },
    ]);
  });

  test("reads the inputs GitHub passes as INPUT_<NAME>; without a timeout, berth's derived one applies", () => {
    // THEN
    expect(deployPreArgv({ INPUT_CONFIG: 'config/acme.json' }, '/runner/_actions/acme/infra/main')).toEqual([
      'pre',
      '--yes',
      '--config',
      '/runner/_actions/acme/infra/main/config/acme.json',
    ]);
    expect(deployPreArgv({ INPUT_CONFIG: ' config/acme.json ', INPUT_TIMEOUT: '1h' }, '/a')).toContain('1h');
  });

  test('without the config input it refuses with one line, as an error annotation too, and calls no AWS', async () => {
    // WHEN
    const { code, out, err } = await runAction({ INPUT_CONFIG: '' });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toBe(
      'berth deploy: input config is missing; allowed: the path of your berth config in the repository that holds this action, e.g. config/acme.json\n',
    );
    expect(out).toBe(
      '::error title=berth deploy pre::input config is missing; allowed: the path of your berth config in the repository that holds this action, e.g. config/acme.json\n',
    );
    expect(aws.ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  test('a config that is not in the checkout is a usage error that names the path it looked at', async () => {
    // WHEN
    const { code, err } = await runAction({ INPUT_CONFIG: 'config/missing.json' });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toContain(`berth deploy: cannot read config ${path.join(actionRoot, 'config', 'missing.json')}`);
    expectNoWrites();
  });

  test('a bad timeout input is refused before any AWS call', async () => {
    // WHEN
    const { code, out } = await runAction({ INPUT_CONFIG: 'config/acme.json', INPUT_TIMEOUT: 'soon' });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(out).toMatch(/^::error title=berth deploy pre::--timeout/);
    expect(aws.ssm).not.toHaveReceivedCommand(GetParameterCommand);
  });

  test('a rolled-back deployment fails the step with exit 4 and an error annotation', async () => {
    // GIVEN
    setUpWorld({ environment: 'pre', deploymentStatuses: [{ status: 'ROLLBACK_SUCCESSFUL', statusReason: 'circuit breaker' }] });

    // WHEN
    const { code, out } = await runAction({ INPUT_CONFIG: 'config/acme.json' });

    // THEN
    expect(code).toBe(EXIT.FAILED);
    expect(out).toContain(
      '::error title=berth deploy pre::master was not released to pre: the deployment ended ROLLBACK_SUCCESSFUL (rolled back): circuit breaker',
    );
  });
});
