/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // two workers on the 2-core machines: jest's default (cores - 1) runs the suite on one core.
  maxWorkers: 2,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsconfig's isolatedModules makes ts-jest transpile each file alone (fast on 2 cores); `npm run lint` type-checks.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
