import { PassThrough } from 'node:stream';
import type { CommandContext } from '../../scripts/cli/command';
import type { ExitCode } from '../../scripts/core/errors';
import { main } from '../../scripts/main';
import { captureStreams } from './capture-streams';

/** How to run one berth command line in a test. */
export interface RunOptions {
  /** the process environment the command sees. */
  readonly env?: NodeJS.ProcessEnv;
  /** whether stdin is a terminal (confirmations are asked only then). */
  readonly stdinIsTTY?: boolean;
  /** what the operator types, written to stdin after the command starts. */
  readonly stdinText?: string;
  /** the Ctrl-C signal. */
  readonly signal?: AbortSignal;
  /** how smoke checks connect (a local HTTPS server). */
  readonly smokeConnection?: CommandContext['smokeConnection'];
}

/** What a command printed and returned. */
export interface RunResult {
  readonly code: ExitCode;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `berth <argv>` through main() with fake streams.
 * @param argv the command line after `berth`
 * @param options environment, stdin and signal
 */
export async function runBerth(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const captured = captureStreams();
  const { stdout, stderr } = captured;
  const stdin = Object.assign(new PassThrough(), { isTTY: options.stdinIsTTY ?? false });
  if (options.stdinText !== undefined) {
    // answer once the prompt is on stderr, as an operator would.
    stderr.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('[y/N]')) stdin.write(options.stdinText);
    });
  }
  const code = await main({
    argv,
    streams: { stdout, stderr },
    env: options.env ?? {},
    stdin,
    signal: options.signal ?? new AbortController().signal,
    ...(options.smokeConnection ? { smokeConnection: options.smokeConnection } : {}),
  });
  return { code, out: captured.out, err: captured.err };
}
