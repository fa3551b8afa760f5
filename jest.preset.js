// Shared jest preset: TypeScript through SWC (type checking is `pnpm typecheck`'s job),
// and @rampart/* imports resolved to the sibling package's sources so tests never need a build.
const path = require('node:path');

const repoRoot = __dirname;

/** @param {string} packageDir absolute path of the package being tested */
module.exports = function jestPreset(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
    },
    moduleNameMapper: {
      '^@rampart/rules-crs4$': path.join(repoRoot, 'rules-crs4/src/index.ts'),
      '^@rampart/conformance$': path.join(repoRoot, 'conformance/src/index.ts'),
      '^@rampart/([a-z0-9-]+)$': path.join(repoRoot, 'packages/$1/src/index.ts'),
    },
    testTimeout: 30000,
  };
};
