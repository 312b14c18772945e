import * as readline from 'node:readline';
import type { CommandContext } from '../commands/command';
import { RefusedError } from './errors';

/**
 * Asks the operator to confirm a change on a terminal. Without a terminal it refuses instead of waiting for
 * an answer that never comes (a CI job that forgot `--yes`).
 * @param context the command's context (stdin, streams, abort signal)
 * @param question e.g. `Promote v1.4.0 to live?`
 * @param flagHint what to pass to skip the question, for the refusal message
 */
export async function confirm(context: CommandContext, question: string, flagHint = '--yes'): Promise<void> {
  if (!context.stdin.isTTY) {
    throw new RefusedError(`standard input is not a terminal, so berth cannot ask "${question}"; pass ${flagHint} to go ahead without asking`);
  }
  const rl = readline.createInterface({ input: context.stdin, output: context.streams.stderr, terminal: true });
  const onAbort = () => rl.close();
  context.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('close', () => resolve(''));
      rl.question(`${question} [y/N] `, resolve);
    });
    if (!/^y(es)?$/i.test(answer.trim())) throw new RefusedError('not confirmed; nothing changed');
  } finally {
    context.signal.removeEventListener('abort', onAbort);
    rl.close();
  }
}
