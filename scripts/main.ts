import { version } from '../package.json';
import { COMMANDS } from './commands';
import type { CommandContext } from './cli/command';
import { commandHelp } from './cli/help';
import { BerthError, EXIT, type ExitCode, toBerthError } from './core/errors';
import { ENVIRONMENT_NAMES } from '../infra/environments';
import { COMMAND_ACCESS, dutyRoleName } from '../infra/duties';
import { readSettings } from './cli/settings';
import { Output } from './cli/output';

/** The exit-code table printed by `berth --help` and copied in the README. */
export const EXIT_CODE_HELP = `Exit codes:
  0    done
  1    unexpected error (the message says what failed)
  2    bad command line: unknown command, environment or flag, malformed value
  3    refused by a check before any change (no release, no image, deployment in progress,
       a failing pre-flight check, missing manifest, no credentials)
  4    failed: the deployment failed or was rolled back; doctor, dns or verify found a failing link
  5    timed out following a deployment (it is still running: berth status <env>)
  6    doctor, dns or verify found warnings only
  7    AWS did not answer, or something else did (a proxy's page): check the network, VPN, proxy
       and AWS_ENDPOINT_URL; the message names the service and the endpoint
  130  interrupted (Ctrl-C); a running deployment goes on`;

/** `berth --help`. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `berth: release and troubleshoot one backend on ECS on EC2 (pre and live).

Usage: berth <command> [environment] [options]
       berth --version

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run berth <command> --help for a command's options.
The app and region come from the deployment config: --config <file>, else $BERTH_CONFIG,
else config/example.json (the same file cdk synth reads).

${EXIT_CODE_HELP}
`;
}

/**
 * Runs one berth command line and returns the exit code; never throws.
 * @param context the arguments (command name first) and the process's streams
 */
export async function main(context: CommandContext): Promise<ExitCode> {
  const [name, ...argv] = context.argv;
  // what follows `--` belongs to the command run remotely (`berth exec live -- app --help`), not to berth.
  const dashDash = argv.indexOf('--');
  const own = dashDash >= 0 ? argv.slice(0, dashDash) : argv;
  const json = own.includes('--json');
  const output = new Output(context.streams, json);
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.streams.stdout.write(mainHelp());
    return name === undefined ? EXIT.USAGE : EXIT.OK;
  }
  if (name === '--version' || name === '-v') {
    // the manifest module validates with ajv: loaded for this line only, not on every start.
    const { MANIFEST_SCHEMA_VERSION } = await import('../infra/manifest');
    context.streams.stdout.write(`berth ${version} (reads manifest schema version ${MANIFEST_SCHEMA_VERSION})\n`);
    return EXIT.OK;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    context.streams.stderr.write(`berth: unknown command "${name}"; allowed: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return EXIT.USAGE;
  }
  if (own.includes('--help') || own.includes('-h')) {
    // from the definition alone: help loads neither the command nor the SDK clients it uses.
    context.streams.stdout.write(commandHelp(entry));
    return EXIT.OK;
  }
  try {
    const command = await entry.load();
    return await command.run({ ...context, argv }, output);
  } catch (err) {
    const error = withDutyHint(toBerthError(err), name, argv[0], appNameOf(own, context.env));
    if (json) context.streams.stdout.write(`${JSON.stringify({ error: error.message, exitCode: error.exitCode })}\n`);
    context.streams.stderr.write(`berth ${name}: ${error.message}\n`);
    if (error.exitCode === EXIT.INTERNAL && context.env.BERTH_DEBUG) context.streams.stderr.write(`${(err as Error).stack}\n`);
    return error.exitCode;
  }
}

/**
 * The app name of the config a command line reads, for a message; undefined when the config cannot be read.
 * @param argv the command line's own arguments
 * @param env the process environment (`BERTH_CONFIG`)
 */
function appNameOf(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const at = argv.indexOf('--config');
  const file = at >= 0 ? argv[at + 1] : argv.find((a) => a.startsWith('--config='))?.slice('--config='.length);
  try {
    return readSettings(file, env).appName;
  } catch {
    return undefined;
  }
}

/**
 * A refusal by AWS, with the duty the command belongs to, the role of that duty (infra/constructs/operator-access.ts)
 * and the calls the command makes (infra/duties.ts): the one refused permission alone does not tell an operator
 * what to use or ask for.
 * @param error the command's error
 * @param command the command's name
 * @param environment the command line's first argument
 * @param app the config's app name, when it could be read: the role's name has it
 */
export function withDutyHint(error: BerthError, command: string, environment: string | undefined, app?: string): BerthError {
  const access = COMMAND_ACCESS[command as keyof typeof COMMAND_ACCESS];
  const known = environment !== undefined && (ENVIRONMENT_NAMES as readonly string[]).includes(environment);
  if (!access || !known || !error.message.startsWith('AWS denied')) return error;
  const actions = [...new Set(access.calls.map((c) => c.action))].sort();
  return new BerthError(
    `${error.message}; berth ${command} ${environment} is a ${access.duty} command: use the role ${dutyRoleName(app ?? '<app>', environment, access.duty)} (--role ${access.duty}, or a profile that assumes it), or an identity that may, on ${environment}'s resources, ${actions.join(', ')} (infra/duties.ts lists every command's calls)`,
    error.exitCode,
  );
}
