/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // type-checking happens once in `npm run lint` (tsc --noEmit); transpiling each file alone keeps the suite fast on 2 cores.
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  snapshotFormat: { escapeString: false, printBasicPrototype: false },
};
