import { PassThrough } from 'node:stream';
import { chooseOne } from '../../../scripts/cli/choose';
import type { CommandContext } from '../../../scripts/cli/command';
import { EXIT } from '../../../scripts/core/errors';

function contextWith(input: string | undefined): { context: CommandContext; err: () => string } {
  const stdin = new PassThrough();
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  if (input === undefined) stdin.end();
  else stdin.write(input);
  const context: CommandContext = {
    argv: [],
    streams: { stdout: new PassThrough(), stderr },
    env: {},
    stdin,
    signal: new AbortController().signal,
  };
  return { context, err: () => err };
}

const choices = [
  { id: 'i-0aaa', description: 'eu-west-1a' },
  { id: 'i-0bbb', description: 'eu-west-1b' },
];

describe('picking one of several', () => {
  test('a number or an id picks', async () => {
    expect(await chooseOne(contextWith('2\n').context, 'instance', choices)).toBe('i-0bbb');
    expect(await chooseOne(contextWith('i-0aaa\n').context, 'instance', choices)).toBe('i-0aaa');
  });

  test('the list goes to stderr, numbered', async () => {
    // GIVEN
    const { context, err } = contextWith('1\n');

    // WHEN
    await chooseOne(context, 'instance', choices);

    // THEN
    expect(err()).toBe('  1) i-0aaa  eu-west-1a\n  2) i-0bbb  eu-west-1b\ninstance [1-2]: ');
  });

  test('anything else is a usage error that says what to answer', async () => {
    await expect(chooseOne(contextWith('3\n').context, 'instance', choices)).rejects.toThrow(
      '"3" is not one of the 2 listed; answer with a number from 1 to 2 or an id',
    );
  });

  test('closed input picks nothing', async () => {
    await expect(chooseOne(contextWith(undefined).context, 'instance', choices)).rejects.toMatchObject({
      exitCode: EXIT.USAGE,
      message: 'no instance picked',
    });
  });
});
