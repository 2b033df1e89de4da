/**
 * The specs of spec/install/: the package installed as users install it (packed into consumer
 * projects that type-check it under each module setting, and from git), for `npm run test:install`.
 * `npm test` leaves them out (jest.config.cjs); CI runs them as a step of their own.
 */
const base = require('./jest.config.cjs');

module.exports = { ...base, roots: ['<rootDir>/spec/install'], testPathIgnorePatterns: ['/node_modules/'] };
