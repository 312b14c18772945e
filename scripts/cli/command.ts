import type { LookupFunction } from 'node:net';
import type { ExitCode } from '../core/errors';
import { type Environment, parseCommandLine } from './args';
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
  /**
   * how the smoke checks connect: tests point them at a local HTTPS server (a resolver that answers
   * 127.0.0.1, the CA of a self-signed certificate). The entry point never sets it, and no flag or variable
   * does: a release's checks always go to the environment's real name with Node's CAs.
   * @default - the system's resolver and Node's bundled CAs
   */
  readonly smokeConnection?: { readonly lookup?: LookupFunction; readonly ca?: string };
}

/** One option of a command: how the operator types it and what its help says. */
export interface OptionDefinition {
  /** `string` takes a value, `boolean` is a switch. */
  readonly type: 'string' | 'boolean';
  /** a one-letter alias, e.g. `y` for `--yes`. @default - none */
  readonly short?: string;
  /** whether it may be given more than once; its values collect in order. @default false */
  readonly multiple?: boolean;
  /** how the help names its value, e.g. `<dur>`. @default '<value>' for a string option */
  readonly value?: string;
  /**
   * when the option must be given: what to tell an operator who left it out (`<env>` stands for the
   * environment). @default - optional
   */
  readonly required?: string;
  /** what it does, for `--help`; a line break continues the text in the same column. */
  readonly help: string;
}

/** A command's options by name (without the leading `--`), in the order `--help` lists them. */
export type OptionDefinitions = Readonly<Record<string, OptionDefinition>>;

/** The values parsed for a command's options: a string, the strings of a multiple option, or a switch. */
export type OptionValues<O extends OptionDefinitions> = {
  readonly [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : O[K]['multiple'] extends true ? readonly string[] : string;
};

/**
 * Everything about a command except what it does, declared once: the command list, `berth --help`,
 * `berth <command> --help` and the check of its command line are all generated from it. It loads no
 * SDK module, so `--help` and a bad command line cost no start-up. More metadata about a command (the
 * IAM actions it needs, say) belongs here too.
 */
export interface CommandDefinition<O extends OptionDefinitions = OptionDefinitions, E extends Environment = Environment> {
  /** the word the operator types. */
  readonly name: string;
  /** one line for `berth --help`. */
  readonly summary: string;
  /** the environments the first argument may name. */
  readonly environments: readonly E[];
  /** what to run instead when the operator names an environment this command does not take. @default - no hint */
  readonly otherEnvironment?: string;
  /** the paragraphs of `berth <name> --help` between the usage line and the options. */
  readonly description: string;
  /** its options, its own first, then the common ones it uses; `--help` is added to every command. */
  readonly options: O;
  /** whether the words after `--` go to a remote command (`berth exec live -- env`), and their help. @default - none */
  readonly passThrough?: { readonly value: string; readonly help: string };
  /** the usage line's options part, when the generated one cannot say it (alternatives). @default - generated */
  readonly synopsis?: string;
  /** text after the options, e.g. the environment variables it reads. @default - none */
  readonly footer?: string;
}

/** A command of the list: its definition and the module that does it, loaded only when the operator runs it. */
export interface CommandEntry extends CommandDefinition {
  /** loads what the command does. */
  readonly load: () => Promise<Command>;
}

/** A command line as the shared parser checked it. */
export interface ParsedCommandLine<D extends CommandDefinition> {
  /** the environment named, one the command accepts. */
  readonly environment: D['environments'][number];
  /** the options given. */
  readonly values: OptionValues<D['options']>;
  /** what followed `--`, for a command with {@link CommandDefinition.passThrough}. */
  readonly rest: readonly string[];
}

/** What a command does, given its checked command line; throws a BerthError for refusals and failures. */
export type CommandHandler<D extends CommandDefinition> = (
  args: ParsedCommandLine<D>,
  context: CommandContext,
  output: Output,
) => Promise<ExitCode>;

/** A command ready to run: its definition and what it does. One file under scripts/commands/ exports one. */
export interface Command {
  /** the word the operator types. */
  readonly name: string;
  /** its definition. */
  readonly definition: CommandDefinition;
  /** checks the command line against the definition, then runs the command; returns its exit code. */
  run(context: CommandContext, output: Output): Promise<ExitCode>;
}

/**
 * Declares a command; the literal types of its options flow into its handler's arguments.
 * @param definition the command's definition
 */
export function defineCommand<const O extends OptionDefinitions, const E extends Environment>(
  definition: CommandDefinition<O, E>,
): CommandDefinition<O, E> {
  return definition;
}

/**
 * Joins a definition and what the command does into a command whose command line is checked by the
 * shared parser before the handler sees it.
 * @param definition the command's definition
 * @param handler what it does
 */
export function bindCommand<D extends CommandDefinition>(definition: D, handler: CommandHandler<D>): Command {
  return {
    name: definition.name,
    definition,
    run: (context, output) => handler(parseCommandLine(definition, context.argv), context, output),
  };
}
