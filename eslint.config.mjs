import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// a plain Error exits 1 as "unexpected": a condition berth knows is a BerthError with its exit code.
const PLAIN_ERROR = {
  selector: "ThrowStatement > NewExpression[callee.name='Error']",
  message: 'throw a BerthError (scripts/core/errors.ts) with the exit code of the condition.',
};
const NEW_CLIENT = {
  selector: 'NewExpression[callee.name=/Client$/]',
  message: 'ask the run for a client: clients.get(XClient) (scripts/aws/clients.ts).',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', 'dist/', 'action/', 'coverage/', '.bench/', '.scratch/', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // `const { left, ...rest } = value` is how a field is left out of a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    // CommonJS files that Jest loads with require() (its transform).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', module: 'writable', __filename: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  // the CLI's layers, each importing only those below it: commands -> release, checks -> cli -> aws, github -> core.
  ...layers([
    [
      'scripts/core',
      'a leaf: errors and timing, importing nothing of berth',
      ['infra', 'aws', 'github', 'cli', 'checks', 'release', 'commands', 'main'],
    ],
    ['scripts/aws', 'small SDK modules: they may import core only', ['github', 'cli', 'checks', 'release', 'commands', 'main']],
    ['scripts/github', "GitHub's API: it may import core only", ['aws', 'cli', 'checks', 'release', 'commands', 'main']],
    ['scripts/cli', 'argument parsing, sessions and output: below checks, release and commands', ['checks', 'release', 'commands', 'main']],
    ['scripts/checks', "doctor's checks: they read through aws and report findings", ['cli', 'release', 'commands', 'main']],
    ['scripts/release', 'the roll-out: below the commands', ['checks', 'commands', 'main']],
    ['scripts/commands', 'the top: nothing imports a command but the command list', ['main']],
  ]),
  {
    files: ['scripts/**/*.ts'],
    // the generators and the benches are developer tools, not the CLI: their errors exit as they like.
    ignores: ['scripts/bench/**', 'scripts/generate/**'],
    rules: { 'no-restricted-syntax': ['error', PLAIN_ERROR, NEW_CLIENT] },
  },
  // the one place that builds SDK clients, so the settings every client needs are made once.
  { files: ['scripts/aws/clients.ts'], rules: { 'no-restricted-syntax': ['error', PLAIN_ERROR] } },
  {
    files: ['infra/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)scripts(/|$)', message: 'infra never imports the CLI.' }] }] },
  },
);

/**
 * One `no-restricted-imports` block per folder of scripts/: a relative import of a layer above (or of the
 * same level's neighbours) is an error that says which way imports run.
 * @param {[string, string, string[]][]} rules folder, what it is, the folders it must not import
 */
function layers(rules) {
  return rules.map(([folder, what, forbidden]) => ({
    files: [`${folder}/**/*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${forbidden.join('|')})(/|$)`,
              message: `${folder} is ${what}; imports run commands -> release, checks -> cli -> aws, github -> core.`,
            },
          ],
        },
      ],
    },
  }));
}
