import type { ExitCode } from '../core/errors';
import type { Output, Streams } from './output';

/** What a command gets from the entry point; tests build one with fake streams and environment. */
export interface CommandContext {
  /** the arguments after the command name. */
  readonly argv: readonly string[];
  /** where to write. */
  readonly streams: Streams;
  /** the process environment (BERTH_CONFIG, GITHUB_TOKEN, PATH…). */
  readonly env: NodeJS.ProcessEnv;
  /** standard input, for confirmations and interactive choices. */
  readonly stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** aborted on Ctrl-C: a command stops following and says how to resume. */
  readonly signal: AbortSignal;
}

/** A berth command: one file under scripts/commands/ exports one. */
export interface Command {
  /** the word the operator types. */
  readonly name: string;
  /** one line for `berth --help`. */
  readonly summary: string;
  /** the full help text for `berth <name> --help`. */
  readonly usage: string;
  /** runs the command and returns its exit code; throws a BerthError for refusals and failures. */
  run(context: CommandContext, output: Output): Promise<ExitCode>;
}

/** An entry in the command list: loaded only when the operator runs it, so start-up stays fast. */
export interface CommandEntry {
  /** the word the operator types. */
  readonly name: string;
  /** one line for `berth --help`. */
  readonly summary: string;
  /** loads the command's module. */
  readonly load: () => Promise<Command>;
}
