import * as path from 'node:path';
import { EXIT, toBerthError, type ExitCode } from '../core/errors';
import { Output } from '../cli/output';
import type { CommandContext } from '../cli/command';
import { deploy } from '../commands/deploy';

/**
 * The `berth deploy pre` command line for the action's inputs. GitHub passes an input named `config` as the
 * environment variable `INPUT_CONFIG` (metadata syntax for GitHub Actions, `inputs`).
 * @param env the step's environment
 * @param actionRoot the root of the berth checkout the action runs from: a relative `config` is read there
 */
export function deployPreArgv(env: NodeJS.ProcessEnv, actionRoot: string): string[] {
  const config = env.INPUT_CONFIG?.trim();
  if (!config) {
    throw new UsageInputError(
      'input config is missing; allowed: the path of your berth config in the repository that holds this action, e.g. config/acme.json',
    );
  }
  // without the input, berth's own default: pre's release timing, as ECS and the load balancer report it.
  const timeout = env.INPUT_TIMEOUT?.trim();
  return ['pre', '--yes', ...(timeout ? ['--timeout', timeout] : []), '--config', path.resolve(actionRoot, config)];
}

class UsageInputError extends Error {}

/**
 * Runs the GitHub Action: `berth deploy pre` with the config of the checkout the action comes from. A failure
 * is also written as an `::error::` workflow command, so GitHub shows it on the run's summary.
 * @param context the process's streams, environment and abort signal (the action's inputs are in `env`)
 * @param actionRoot the root of the berth checkout the action runs from
 */
export async function runDeployPreAction(context: Omit<CommandContext, 'argv'>, actionRoot: string): Promise<ExitCode> {
  const output = new Output(context.streams, false);
  let code: ExitCode;
  let message: string | undefined;
  try {
    code = await deploy.run({ ...context, argv: deployPreArgv(context.env, actionRoot) }, output);
  } catch (err) {
    const error = err instanceof UsageInputError ? { message: err.message, exitCode: EXIT.USAGE } : toBerthError(err);
    message = error.message;
    code = error.exitCode;
    context.streams.stderr.write(`berth deploy: ${message}\n`);
  }
  if (code !== EXIT.OK) {
    context.streams.stdout.write(`::error title=berth deploy pre::${escapeCommandData(message ?? `berth deploy pre exited ${code}`)}\n`);
  }
  return code;
}

/** Escapes a workflow command's data, as @actions/core does (`%`, CR and LF). */
function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
