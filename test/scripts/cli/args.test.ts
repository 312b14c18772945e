import { parseCommandLine } from '../../../scripts/cli/args';
import { defineCommand } from '../../../scripts/cli/command';
import { COMMANDS } from '../../../scripts/commands';
import { EXIT, UsageError } from '../../../scripts/core/errors';
import { aws, resetAwsMocks } from '../../_helpers/mock-aws';
import { runBerth } from '../../_helpers/run-berth';

const EXAMPLE = defineCommand({
  name: 'example',
  summary: 'an example',
  environments: ['pre', 'live'],
  description: 'An example.',
  options: {
    limit: { type: 'string', value: '<N>', help: 'how many' },
    watch: { type: 'boolean', help: 'follow' },
    resolver: { type: 'string', multiple: true, value: '<Name=ip>', help: 'a resolver' },
    instance: { type: 'string', value: '<id>', required: 'berth instances <env> lists them', help: 'the instance' },
  },
});

function parse(...argv: string[]) {
  return parseCommandLine(EXAMPLE, argv);
}

function usageError(...argv: string[]): string {
  try {
    parse(...argv);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('the shared command-line parser', () => {
  test('returns the environment, the options (repeated ones in order) and nothing after --', () => {
    // WHEN
    const parsed = parse('live', '--limit', '5', '--watch', '--resolver', 'A=127.0.0.1', '--resolver=B=127.0.0.2', '--instance', 'i-1');

    // THEN
    expect(parsed).toEqual({
      environment: 'live',
      values: { limit: '5', watch: true, resolver: ['A=127.0.0.1', 'B=127.0.0.2'], instance: 'i-1' },
      rest: [],
    });
  });

  test('an unknown option is one line in berth words that lists what is allowed, with balanced quotes', () => {
    // WHEN
    const message = usageError('live', '--instance', 'i-1', '--force');

    // THEN
    expect(message).toBe('unknown option --force; allowed: --limit, --watch, --resolver, --instance, --help/-h');
    expect(message.split('"').length % 2).toBe(1);
    expect(message.split("'").length % 2).toBe(1);
  });

  test('a value that looks like an option is not taken silently, and says how to pass it', () => {
    expect(usageError('live', '--instance', 'i-1', '--limit', '-5')).toBe(
      '--limit needs a value, and "-5" looks like an option; allowed: --limit <N> (write --limit=-5 for a value that starts with -)',
    );
    expect(parse('live', '--instance', 'i-1', '--limit=-5').values.limit).toBe('-5');
  });

  test('a missing value and a value given to a switch are refused', () => {
    expect(usageError('live', '--instance', 'i-1', '--limit')).toBe('--limit needs a value; allowed: --limit <N>');
    expect(usageError('live', '--instance', 'i-1', '--watch=yes')).toBe('--watch takes no value ("yes"); allowed: --watch alone');
  });

  test('a missing or extra argument, and a missing required option, are refused', () => {
    expect(usageError('--instance', 'i-1')).toBe('missing environment; allowed: pre, live');
    expect(usageError('live', 'extra', '--instance', 'i-1')).toBe('unexpected argument "extra"; usage: berth example <pre|live> [options]');
    expect(usageError('live', '--instance', 'i-1', '--', 'extra')).toBe(
      'unexpected argument "extra"; usage: berth example <pre|live> [options]',
    );
    expect(usageError('pre')).toBe('--instance is required; berth instances pre lists them');
  });
});

describe('every command', () => {
  beforeEach(() => resetAwsMocks());

  test('berth history live --limit -5 says what is wrong in berth words, in one line', async () => {
    // WHEN
    const { code, err } = await runBerth(['history', 'live', '--limit', '-5'], { env: { BERTH_CONFIG: 'config/example.json' } });

    // THEN
    expect(code).toBe(EXIT.USAGE);
    expect(err).toBe(
      'berth history: --limit needs a value, and "-5" looks like an option; allowed: --limit <N> (write --limit=-5 for a value that starts with -)\n',
    );
  });

  test.each(COMMANDS.map((c) => [c.name, c.environments[0]]))(
    'berth %s refuses an extra argument with one line, before any AWS call',
    async (name, environment) => {
      // WHEN
      const { code, err } = await runBerth([name, environment, 'extra', ...(name === 'agent-log' ? ['--instance', 'i-0abc'] : [])], {
        env: { BERTH_CONFIG: 'config/example.json' },
      });

      // THEN
      expect(code).toBe(EXIT.USAGE);
      expect(err.trim()).toMatch(
        new RegExp(`^berth ${name}: unexpected argument "extra"; usage: berth ${name} (pre|live|<pre\\|live>) \\[options\\]$`),
      );
      expect(aws.ssm.calls()).toHaveLength(0);
    },
  );
});
