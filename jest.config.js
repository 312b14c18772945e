/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // two workers on the 2-core machines: jest's default (cores - 1) runs the suite on one core.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // esbuild strips each file's types on its own (see the transform); `npm run lint` type-checks.
  transform: { '^.+\\.ts$': '<rootDir>/test/_helpers/esbuild-transform.cjs' },
  // no setupFilesAfterEnv: test/_helpers/mock-aws.ts installs the aws-sdk-client-mock matchers for the files that
  // mock AWS; loading them into every file (the infra tests have no use for them) cost each file its load.
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
