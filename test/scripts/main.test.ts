import { version } from '../../package.json';
import { MANIFEST_SCHEMA_VERSION } from '../../infra/manifest';
import { COMMANDS } from '../../scripts/commands';
import { EXIT, RefusedError } from '../../scripts/core/errors';
import { withDutyHint } from '../../scripts/main';
import { DescribeServicesCommand } from '@aws-sdk/client-ecs';
import { aws } from '../_helpers/mock-aws';
import { setUpWorld, writeConfig } from '../_helpers/release-world';
import { runBerth } from '../_helpers/run-berth';

describe('berth entry point', () => {
  test('--help lists every command and the exit codes, and exits 0', async () => {
    const { code, out } = await runBerth(['--help']);
    expect(code).toBe(EXIT.OK);
    for (const command of COMMANDS) expect(out).toContain(command.name);
    expect(out).toContain('Exit codes:');
    expect(out).toContain('130');
  });

  test('no command prints help and exits with the usage code', async () => {
    const { code, out } = await runBerth([]);
    expect(code).toBe(EXIT.USAGE);
    expect(out).toContain('Usage: berth <command>');
  });

  test('an unknown command is a one-line usage error that lists the commands', async () => {
    const { code, err } = await runBerth(['deploi', 'pre']);
    expect(code).toBe(EXIT.USAGE);
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain('unknown command "deploi"');
  });

  test.each([['--version'], ['-v']])('%s prints the version and the manifest schema version berth reads', async (flag) => {
    // WHEN
    const { code, out } = await runBerth([flag]);

    // THEN
    expect(code).toBe(EXIT.OK);
    expect(out).toBe(`berth ${version} (reads manifest schema version ${MANIFEST_SCHEMA_VERSION})\n`);
  });

  test('--help after -- belongs to the remote command, not to berth', async () => {
    // WHEN
    const own = await runBerth(['exec', '--help']);
    const remote = await runBerth(['exec', 'prod', '--', 'app', '--help']);

    // THEN
    expect(own.out).toContain('Usage: berth exec');
    expect(remote.out).toBe('');
    expect(remote.code).toBe(EXIT.USAGE);
    expect(remote.err).toContain('unknown environment "prod"');
  });

  test.each(COMMANDS.map((c) => c.name))('%s --help lists its own and the common options in one column', async (name) => {
    // WHEN
    const { code, out } = await runBerth([name, '--help']);

    // THEN: every description, and each wrapped line of one, starts in the same column.
    expect(code).toBe(EXIT.OK);
    const lines = out.split('\n');
    const block = lines.slice(lines.indexOf('Options:') + 1);
    const columns = block.flatMap((line, i) => {
      const option = /^( {2}-\S.*?\s{2,})\S/.exec(line);
      if (option) return [option[1].length];
      const wrapped = /^ {6,}\S/.test(line) && /^ {2}-| {6,}\S/.test(block[i - 1] ?? '');
      return wrapped ? [line.search(/\S/)] : [];
    });
    // at least the options every command takes: --json, --region, --profile, --config and --help.
    expect(columns.length).toBeGreaterThanOrEqual(5);
    expect(new Set(columns).size).toBe(1);
  });
});

describe('a call AWS denies', () => {
  const denied = (message: string) => new RefusedError(message);

  test('names the duty the command belongs to and every call it makes', () => {
    // GIVEN
    const error = denied(
      'AWS denied the call: User: arn:aws:sts::210987654321:assumed-role/dev/ana is not authorized to perform: ecs:DescribeServices',
    );

    // WHEN
    const hinted = withDutyHint(error, 'status', 'live');

    // THEN
    expect(hinted.exitCode).toBe(EXIT.REFUSED);
    expect(hinted.message).toMatch(
      /; berth status live is a viewer command: use the role berth-<app>-live-viewer \(--role viewer, or a profile that assumes it\), or an identity that may, on live's resources, .*ecs:DescribeServices.*ssm:GetParameter/,
    );
    expect(hinted.message).toMatch(/\(infra\/duties\.ts lists every command's calls\)$/);
  });

  test('names the troubleshooter for exec and the releaser for promote and continue', () => {
    expect(withDutyHint(denied('AWS denied ecs:ListTasks: …'), 'exec', 'pre').message).toContain(
      'berth exec pre is a troubleshooter command',
    );
    expect(withDutyHint(denied('AWS denied ecs:UpdateService: …'), 'promote', 'live').message).toContain('is a releaser command');
    expect(withDutyHint(denied('AWS denied ecs:ContinueServiceDeployment: …'), 'continue', 'live').message).toContain(
      'ecs:ContinueServiceDeployment',
    );
  });

  test("names the duty's role of the config's app, on the command line a person typed", async () => {
    // GIVEN live, where the identity may not read the service
    setUpWorld();
    aws.ecs.on(DescribeServicesCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));

    // WHEN
    const { code, err } = await runBerth(['status', 'live', '--config', writeConfig(false)]);

    // THEN
    expect(code).toBe(EXIT.REFUSED);
    expect(err).toContain(
      'berth status live is a viewer command: use the role berth-berth-live-viewer (--role viewer, or a profile that assumes it)',
    );
  });

  test('leaves other errors, and command lines without an environment, as they are', () => {
    const other = denied('no release v9.9.9');
    expect(withDutyHint(other, 'promote', 'live')).toBe(other);
    const deniedError = denied('AWS denied ecs:DescribeServices: …');
    expect(withDutyHint(deniedError, 'status', 'prod')).toBe(deniedError);
  });
});
