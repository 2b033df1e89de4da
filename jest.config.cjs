/** Tests run from the TypeScript sources; `spec/package/` checks the built package separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec', '<rootDir>/examples/testing'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      {
        tsconfig: {
          module: 'commonjs',
          moduleResolution: 'node10',
          isolatedModules: true,
        },
        diagnostics: false,
      },
    ],
  },
  moduleNameMapper: {
    '^rx-anthropic$': '<rootDir>/lib/index.ts',
    '^rx-anthropic/(.*)$': '<rootDir>/lib/$1/index.ts',
  },
  testTimeout: 20000,
};
