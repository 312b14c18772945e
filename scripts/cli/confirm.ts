import * as readline from 'node:readline';
import type { CommandContext } from './command';
import { BerthError, EXIT, RefusedError } from '../core/errors';

/** What the operator answered: yes, no (or nothing), or Ctrl-C. */
export type Answer = 'yes' | 'no' | 'interrupted';

/**
 * Asks the operator to confirm a change on a terminal. Without a terminal it refuses instead of waiting for
 * an answer that never comes (a CI job that forgot `--yes`).
 * @param context the command's context (stdin, streams, abort signal)
 * @param question e.g. `Promote v1.4.0 to live?`
 * @param flagHint what to pass to skip the question, for the refusal message
 */
export async function confirm(context: CommandContext, question: string, flagHint = '--yes'): Promise<void> {
  const answer = await ask(context, question, flagHint);
  if (answer === 'interrupted') throw new BerthError('interrupted; nothing changed', EXIT.INTERRUPTED);
  if (answer === 'no') throw new RefusedError('not confirmed; nothing changed');
}

/**
 * Asks a yes/no question on a terminal and returns the answer; without a terminal it refuses, as {@link confirm}.
 * @param context the command's context (stdin, streams, abort signal)
 * @param question e.g. `Shift production traffic to v1.4.0?`
 * @param flagHint what to pass to skip the question, for the refusal message
 */
export async function ask(context: CommandContext, question: string, flagHint = '--yes'): Promise<Answer> {
  if (!context.stdin.isTTY) {
    throw new RefusedError(
      `standard input is not a terminal, so berth cannot ask "${question}"; pass ${flagHint} to go ahead without asking`,
    );
  }
  const rl = readline.createInterface({ input: context.stdin, output: context.streams.stderr, terminal: true });
  let interrupted = false;
  const interrupt = () => {
    interrupted = true;
    rl.close();
  };
  // a terminal readline takes Ctrl-C as a key press, not as a signal: without this listener it would pause and hang.
  rl.on('SIGINT', interrupt);
  context.signal.addEventListener('abort', interrupt, { once: true });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.once('close', () => resolve(''));
      rl.question(`${question} [y/N] `, resolve);
    });
    if (interrupted || context.signal.aborted) return 'interrupted';
    return /^y(es)?$/i.test(answer.trim()) ? 'yes' : 'no';
  } finally {
    context.signal.removeEventListener('abort', interrupt);
    rl.close();
  }
}
