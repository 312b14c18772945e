/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // two workers on the 2-core machines: jest's default (cores - 1) runs the suite on one core.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // esbuild strips each file's types on its own (see the transform); `npm run lint` type-checks.
  transform: { '^.+\\.ts$': '<rootDir>/test/_helpers/esbuild-transform.cjs' },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
