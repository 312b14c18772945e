import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RefusedError } from '../core/errors';

/** A program berth runs for interactive sessions, and what to tell an operator who does not have it. */
export interface ExternalTool {
  /** the executable's name on PATH. */
  readonly name: string;
  /** one sentence: what to install and where to get it. */
  readonly install: string;
}

/** The AWS CLI v2: runs `ssm start-session` and `ecs execute-command`. */
export const AWS_CLI: ExternalTool = {
  name: 'aws',
  install: 'install the AWS CLI v2: https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html',
};

/** The Session Manager plugin the AWS CLI hands SSM sessions and ECS Exec to. */
export const SESSION_MANAGER_PLUGIN: ExternalTool = {
  name: 'session-manager-plugin',
  install:
    'install the Session Manager plugin for the AWS CLI: https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html',
};

// ssh and ssh-keygen ship in the same OpenSSH package, so one missing means installing the same thing.
const OPENSSH_INSTALL = 'install an OpenSSH client (apt-get install openssh-client, or brew install openssh), or use SSM: drop --ssh';

/** The OpenSSH client, for `berth connect --ssh`. */
export const SSH: ExternalTool = {
  name: 'ssh',
  install: OPENSSH_INSTALL,
};

/** OpenSSH's key generator, for the throwaway key `berth connect --ssh` pushes. */
export const SSH_KEYGEN: ExternalTool = {
  name: 'ssh-keygen',
  install: OPENSSH_INSTALL,
};

/**
 * Finds an executable on the PATH of the given environment.
 * @param name the executable's name
 * @param env the environment whose PATH (and, on Windows, PATHEXT) is searched
 * @returns the executable's full path, or undefined when it is not there
 */
export function findTool(name: string, env: NodeJS.ProcessEnv): string | undefined {
  const directories = (env.PATH ?? '').split(path.delimiter).filter((d) => d.length > 0);
  const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const directory of directories) {
    for (const extension of extensions) {
      const candidate = path.join(directory, name + extension);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        if (fs.statSync(candidate).isFile()) return candidate;
      } catch {
        // not here: try the next directory.
      }
    }
  }
  return undefined;
}

/**
 * Finds every tool or refuses with one line that names the first missing one and how to install it.
 * @param tools the tools a command needs
 * @param env the environment whose PATH is searched
 * @returns the tools' full paths, in the order given
 */
export function requireTools(tools: readonly ExternalTool[], env: NodeJS.ProcessEnv): string[] {
  return tools.map((tool) => {
    const found = findTool(tool.name, env);
    if (found === undefined) throw new RefusedError(`${tool.name} is not on PATH; ${tool.install}`);
    return found;
  });
}

/** How to run a tool. */
export interface RunToolOptions {
  /** the child's environment, PATH included. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * `inherit` hands the terminal to the child (interactive sessions); `pipe` collects stdout and stderr.
   * @default 'inherit'
   */
  readonly stdio?: 'inherit' | 'pipe';
}

/** How a tool ended. */
export interface ToolResult {
  /** the exit code, or 128 + the signal number's conventional value when a signal ended it. */
  readonly exitCode: number;
  /** what it printed on stdout (only with `stdio: 'pipe'`). */
  readonly stdout: string;
  /** what it printed on stderr (only with `stdio: 'pipe'`). */
  readonly stderr: string;
}

/**
 * Runs a program to its end.
 * Ctrl-C is not forwarded: with an inherited terminal the child gets it from the terminal itself, and
 * in an SSM or SSH session it belongs to the remote shell, not to berth.
 * @param executable the full path from {@link findTool}
 * @param args its arguments
 * @param options environment and stdio
 */
export function runTool(executable: string, args: readonly string[], options: RunToolOptions): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const stdio = options.stdio ?? 'inherit';
    const child = spawn(executable, [...args], { env: options.env, stdio: stdio === 'inherit' ? 'inherit' : ['ignore', 'pipe', 'pipe'] });
    // while a session owns the terminal, Ctrl-C is the remote's: berth's own handler answers only the
    // first one, and a second would end berth under a session that still reads the terminal.
    const ignoreInterrupt = (): void => undefined;
    if (stdio === 'inherit') process.on('SIGINT', ignoreInterrupt);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', (err) => {
      process.off('SIGINT', ignoreInterrupt);
      reject(new RefusedError(`cannot run ${executable}: ${err.message}`));
    });
    child.once('close', (code, signal) => {
      process.off('SIGINT', ignoreInterrupt);
      resolve({ exitCode: code ?? (signal === 'SIGINT' ? 130 : 128), stdout, stderr });
    });
  });
}
