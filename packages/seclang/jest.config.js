const fs = require('node:fs');
const path = require('node:path');
const preset = require('../../jest.preset.js')(__dirname);

// chevrotain 13 ships ES modules only (its helpers export only an `import` condition). Node 20 loads them
// from CommonJS (require(esm)), but Jest's module runtime does not, so Jest compiles them to CommonJS with
// the same SWC transform as the sources, and finds the helpers through their real location.
const chevrotainDir = fs.realpathSync(path.join(__dirname, 'node_modules/chevrotain'));
const helpersDir = path.join(chevrotainDir, '..', '@chevrotain');

module.exports = {
  ...preset,
  transform: {
    ...preset.transform,
    '^.+/(chevrotain|@chevrotain/[a-z0-9-]+)/lib/.+\\.m?js$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '^@chevrotain/([a-z0-9-]+)$': path.join(helpersDir, '$1/lib/src/api.js'),
  },
  setupFiles: [...(preset.setupFiles ?? []), '<rootDir>/test/setup-node20.ts'],
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(chevrotain|@chevrotain)/)'],
};
