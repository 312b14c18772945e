/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // tsconfig's isolatedModules makes ts-jest transpile each file alone (fast on 2 cores); `npm run lint` type-checks.
  transform: { '^.+\\.ts$': 'ts-jest' },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
