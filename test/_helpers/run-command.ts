import { PassThrough } from 'node:stream';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { ManifestEnvironment, Manifest } from '../../infra/manifest';
import type { Command, CommandContext } from '../../scripts/cli/command';
import { Output } from '../../scripts/cli/output';
import { toBerthError } from '../../scripts/core/errors';
import { aws } from './mock-aws';
import { captureStreams } from './capture-streams';
import { exampleManifest } from './manifest';

/** What a command printed and returned. */
export interface CommandRun {
  /** the exit code; a thrown BerthError becomes its exit code, as main() does. */
  readonly code: number;
  /** stdout. */
  readonly out: string;
  /** stderr, including the one-line error of a thrown BerthError. */
  readonly err: string;
}

/** How to run a command in a test. */
export interface RunOptions {
  /** extra environment variables (PATH for stub tools). */
  readonly env?: NodeJS.ProcessEnv;
  /** standard input; a TTY when `isTTY` is set. */
  readonly stdin?: PassThrough & { isTTY?: boolean };
  /** aborted to simulate Ctrl-C. */
  readonly signal?: AbortSignal;
}

/**
 * Runs one command with fake streams and the example config, mapping errors to exit codes like main().
 * @param command the command
 * @param argv its arguments (environment first)
 * @param options environment, stdin and abort signal
 */
export async function runCommand(command: Command, argv: readonly string[], options: RunOptions = {}): Promise<CommandRun> {
  const captured = captureStreams();
  const context: CommandContext = {
    argv,
    streams: { stdout: captured.stdout, stderr: captured.stderr },
    env: { BERTH_CONFIG: 'config/example.json', PATH: '', ...options.env },
    stdin: options.stdin ?? new PassThrough(),
    signal: options.signal ?? new AbortController().signal,
  };
  let code: number;
  let errorLine = '';
  try {
    code = await command.run(context, new Output(context.streams, argv.includes('--json')));
  } catch (error) {
    const berthError = toBerthError(error);
    errorLine = `berth ${command.name}: ${berthError.message}\n`;
    code = berthError.exitCode;
  }
  return { code, out: captured.out, err: captured.err + errorLine };
}

/**
 * Makes the SSM mock return the example manifest of an environment.
 * @param environment pre or live
 * @param overrides fields to replace
 */
export function givenManifest(environment: ManifestEnvironment, overrides: Partial<Manifest> = {}): Manifest {
  const manifest = exampleManifest(environment, overrides);
  aws.ssm
    .on(GetParameterCommand, { Name: `/berth/berth/${environment}/manifest` })
    .resolves({ Parameter: { Value: JSON.stringify(manifest) } });
  return manifest;
}
