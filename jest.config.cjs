/** Tests run from the TypeScript sources; `spec/package/` checks the built package separately. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/spec', '<rootDir>/examples/testing'],
  testMatch: ['**/*.spec.ts'],
  // spec/install/ installs the package as users do and type-checks consumer projects (minutes of
  // npm and tsc): `npm run test:install` runs it, a CI step of its own (jest.install.config.cjs).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/spec/install/'],
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
    // Angular ships ES modules only: its .mjs files are turned into CommonJS for the specs of rx-anthropic/angular.
    '^.+\\.mjs$': '<rootDir>/spec/angular/support/esmToCommonJS.cjs',
    // ArkType (a devDependency of the Standard Schema specs) ships ES modules only too, as `.js`.
    '/node_modules/(arktype|arkregex|@ark/[^/]+)/.+\\.js$': '<rootDir>/spec/angular/support/esmToCommonJS.cjs',
  },
  transformIgnorePatterns: ['/node_modules/(?!@angular/|arktype/|arkregex/|@ark/)'],
  moduleNameMapper: {
    '^rx-anthropic$': '<rootDir>/lib/index.ts',
    '^rx-anthropic/(.*)$': '<rootDir>/lib/$1/index.ts',
  },
  testTimeout: 20000,
  // Jest's default on two cores is one worker; most specs wait on sockets, timers and child
  // processes, so three keep both cores busy: 151–196 s for the whole suite here, against 339 s.
  maxWorkers: 3,
};
