// Shared jest preset: TypeScript through SWC (type checking is `pnpm typecheck`'s job),
// and @rampart/* imports resolved to the sibling package's sources so tests never need a build.
const fs = require('node:fs');
const path = require('node:path');

const repoRoot = __dirname;

// chevrotain 13 ships ES modules only. Node 20.19+ loads them from CommonJS (require(esm)), but Jest's module
// runtime does not, so Jest compiles them to CommonJS with SWC, and finds its helper packages by real path.
const seclangDir = path.join(repoRoot, 'packages/seclang');
const chevrotainDir = fs.realpathSync(path.join(seclangDir, 'node_modules/chevrotain'));
const chevrotainHelpersDir = path.join(chevrotainDir, '..', '@chevrotain');
const swcTs = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];
const swcJs = ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

/** @param {string} packageDir absolute path of the package being tested */
module.exports = function jestPreset(packageDir) {
  return {
    rootDir: packageDir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': swcTs,
      '^.+/(chevrotain|@chevrotain/[a-z0-9-]+)/lib/.+\\.m?js$': swcJs,
    },
    transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(chevrotain|@chevrotain)/)'],
    moduleNameMapper: {
      '^@rampart/rules-crs4$': path.join(repoRoot, 'rules-crs4/src/index.ts'),
      '^@rampart/conformance$': path.join(repoRoot, 'conformance/src/index.ts'),
      '^@rampart/([a-z0-9-]+)$': path.join(repoRoot, 'packages/$1/src/index.ts'),
      '^chevrotain$': path.join(chevrotainDir, 'lib/src/api.js'),
      '^@chevrotain/([a-z0-9-]+)$': path.join(chevrotainHelpersDir, '$1/lib/src/api.js'),
    },
    // Turns chevrotain's grammar self-checks on, and shims Object.groupBy (which they use) on Node 20.
    setupFiles: [path.join(repoRoot, 'tools/jest-setup-node20.js')],
    testTimeout: 30000,
  };
};
