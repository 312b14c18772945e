import { PassThrough } from 'node:stream';
import { confirm } from '../../../scripts/cli/confirm';
import { BerthError, EXIT, RefusedError } from '../../../scripts/core/errors';
import type { CommandContext } from '../../../scripts/cli/command';

function context(isTTY: boolean, signal = new AbortController().signal) {
  const stdin = Object.assign(new PassThrough(), { isTTY });
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const ctx: CommandContext = { argv: [], env: {}, stdin, streams: { stdout: new PassThrough(), stderr }, signal };
  return { ctx, stdin, prompt: () => err };
}

describe('confirm', () => {
  test('refuses at once without a terminal, naming the flag', async () => {
    await expect(confirm(context(false).ctx, 'Go?')).rejects.toThrow(
      new RefusedError('standard input is not a terminal, so berth cannot ask "Go?"; pass --yes to go ahead without asking'),
    );
  });

  test.each(['y\n', 'yes\n', 'Y\n'])('goes ahead on %j', async (answer) => {
    // GIVEN
    const { ctx, stdin, prompt } = context(true);

    // WHEN
    const asked = confirm(ctx, 'Go?');
    stdin.write(answer);

    // THEN
    await expect(asked).resolves.toBeUndefined();
    expect(prompt()).toContain('Go? [y/N] ');
  });

  test.each(['\n', 'n\n', 'nope\n'])('refuses on %j', async (answer) => {
    // GIVEN
    const { ctx, stdin } = context(true);

    // WHEN
    const asked = confirm(ctx, 'Go?');
    stdin.write(answer);

    // THEN
    await expect(asked).rejects.toThrow('not confirmed; nothing changed');
  });

  test('Ctrl-C at the prompt (a key press on a terminal) is an interruption, not a hang', async () => {
    // GIVEN
    const { ctx, stdin } = context(true);

    // WHEN
    const asked = confirm(ctx, 'Go?');
    stdin.write('\x03');

    // THEN
    await expect(asked).rejects.toThrow(new BerthError('interrupted; nothing changed', EXIT.INTERRUPTED));
  });

  test('an abort while it waits is an interruption', async () => {
    // GIVEN
    const controller = new AbortController();
    const { ctx } = context(true, controller.signal);

    // WHEN
    const asked = confirm(ctx, 'Go?');
    controller.abort();

    // THEN
    await expect(asked).rejects.toMatchObject({ exitCode: EXIT.INTERRUPTED });
  });
});
