import { AWS_CLI, findTool, requireTools, runTool, SESSION_MANAGER_PLUGIN } from '../../../scripts/cli/external-tool';
import { EXIT } from '../../../scripts/core/errors';
import { type StubTools, stubTools } from '../../_helpers/stub-tools';

let tools: StubTools;
afterEach(() => tools?.cleanUp());

describe('external tools', () => {
  test('a tool is found on the PATH of the given environment only', () => {
    // GIVEN
    tools = stubTools({ aws: {} });

    // THEN
    expect(findTool('aws', { PATH: `/nonexistent:${tools.bin}` })).toBe(`${tools.bin}/aws`);
    expect(findTool('aws', { PATH: '/nonexistent' })).toBeUndefined();
    expect(findTool('aws', {})).toBeUndefined();
  });

  test('a missing tool is a refusal that says what to install', () => {
    // GIVEN
    tools = stubTools({ aws: {} });

    // WHEN
    const check = () => requireTools([AWS_CLI, SESSION_MANAGER_PLUGIN], { PATH: tools.bin });

    // THEN
    expect(check).toThrow(/^session-manager-plugin is not on PATH; install the Session Manager plugin for the AWS CLI: https:\/\//);
    try {
      check();
    } catch (err) {
      expect((err as { exitCode: number }).exitCode).toBe(EXIT.REFUSED);
    }
  });

  test('a tool runs with its arguments and its exit code comes back', async () => {
    // GIVEN
    tools = stubTools({ aws: { exitCode: 3, script: 'echo out; echo err >&2' } });

    // WHEN
    const result = await runTool(`${tools.bin}/aws`, ['ssm', 'start-session', '--target', 'i-0 with space'], {
      env: { PATH: tools.bin },
      stdio: 'pipe',
    });

    // THEN
    expect(result).toEqual({ exitCode: 3, stdout: 'out\n', stderr: 'err\n' });
    expect(tools.calls('aws')).toEqual([['ssm', 'start-session', '--target', 'i-0 with space']]);
  });

  test('an interactive tool holds off Ctrl-C only while it runs', async () => {
    // GIVEN
    tools = stubTools({ ssh: {} });
    const before = process.listenerCount('SIGINT');

    // WHEN
    const running = runTool(`${tools.bin}/ssh`, ['host'], { env: { PATH: tools.bin } });
    const during = process.listenerCount('SIGINT');
    await running;

    // THEN
    expect(during).toBe(before + 1);
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
