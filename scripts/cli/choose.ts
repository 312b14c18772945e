import * as readline from 'node:readline';
import type { CommandContext } from './command';
import { UsageError } from '../core/errors';

/** One thing an operator can pick. */
export interface Choice {
  /** what the operator could also have passed on the command line, e.g. an instance id. */
  readonly id: string;
  /** the rest of the line shown next to it. */
  readonly description: string;
}

/**
 * Asks the operator to pick one of several things on the terminal, by number or id.
 * @param context the command's context: the list and the question go to stderr, the answer comes from stdin
 * @param question what is being picked, e.g. `instance`
 * @param choices at least two choices
 * @returns the id picked
 */
export async function chooseOne(context: CommandContext, question: string, choices: readonly Choice[]): Promise<string> {
  const width = Math.max(...choices.map((c) => c.id.length));
  const list = choices.map((c, i) => `  ${String(i + 1).padStart(String(choices.length).length)}) ${c.id.padEnd(width)}  ${c.description}`);
  context.streams.stderr.write(`${list.join('\n')}\n`);
  const rl = readline.createInterface({ input: context.stdin, output: context.streams.stderr, terminal: false });
  let answer: string;
  try {
    answer = await new Promise<string>((resolve, reject) => {
      rl.once('close', () => reject(new UsageError(`no ${question} picked`)));
      rl.question(`${question} [1-${choices.length}]: `, (text) => resolve(text.trim()));
    });
  } finally {
    // closing the interface pauses stdin, so the session started next owns the terminal alone.
    rl.close();
  }
  const byNumber = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : undefined;
  const picked = byNumber ?? choices.find((c) => c.id === answer);
  if (!picked)
    throw new UsageError(
      `"${answer}" is not one of the ${choices.length} listed; answer with a number from 1 to ${choices.length} or an id`,
    );
  return picked.id;
}
