const fs = require('node:fs');
const path = require('node:path');
const preset = require('../../jest.preset.js')(__dirname);

// The checks run the real parser, and the parser uses chevrotain 13, which ships ES modules only: Jest must
// compile it to CommonJS, exactly as packages/seclang/jest.config.js explains and does.
const seclangDir = path.join(__dirname, '../seclang');
const chevrotainDir = fs.realpathSync(path.join(seclangDir, 'node_modules/chevrotain'));
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
    '^chevrotain$': path.join(chevrotainDir, 'lib/src/api.js'),
    '^@chevrotain/([a-z0-9-]+)$': path.join(helpersDir, '$1/lib/src/api.js'),
  },
  setupFiles: [path.join(seclangDir, 'test/setup-node20.ts')],
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/[^/]+/node_modules/)?(chevrotain|@chevrotain)/)'],
};
