/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  moduleNameMapper: { '^@parley/common$': '<rootDir>/../common/src/index.ts' },
  testEnvironment: 'node',
};

module.exports = {
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'common', rootDir: 'common', testMatch: ['<rootDir>/src/**/*.test.ts'] },
    {
      ...common,
      displayName: 'backend',
      rootDir: 'backend',
      testMatch: ['<rootDir>/src/**/*.test.ts'],
      setupFiles: ['<rootDir>/src/test/env.setup.ts'],
    },
    { ...common, displayName: 'frontend', rootDir: 'frontend', testMatch: ['<rootDir>/src/**/*.test.ts'] },
    {
      ...common,
      displayName: 'e2e',
      rootDir: 'frontend',
      testMatch: ['<rootDir>/e2e/**/*.e2e.test.ts'],
      setupFiles: ['<rootDir>/../backend/src/test/env.setup.ts'],
      testTimeout: 60000,
    },
  ],
};
