import * as path from 'node:path';

/**
 * JavaScript that lets a fresh thread or process run this package's TypeScript sources: it compiles `.ts`
 * files with @swc/core (the repository's dev dependency, what jest uses) and resolves `@rampart/spoa` to
 * `src/`. Only used when the agent itself runs from sources (tests); the built package starts its workers
 * from `dist/*.js` and never reaches this. Other `@rampart/*` packages resolve to their built `dist/`.
 */
export function sourceLoaderPrelude(): string {
  const srcDir = __dirname;
  const spoaIndex = path.join(srcDir, 'index.ts');
  // Sources run under tests, whose parser grammar self-checks (turned on by this shim) need its Object.groupBy on Node 20.
  const shim = path.resolve(srcDir, '../../../tools/jest-setup-node20.js');
  return `
try { require(${JSON.stringify(shim)}); } catch {}
const Module = require('node:module');
const fs = require('node:fs');
const swc = require(require.resolve('@swc/core', { paths: [${JSON.stringify(srcDir)}] }));
if (!Module._extensions['.ts']) {
  Module._extensions['.ts'] = function (module, filename) {
    const out = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
      filename,
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'commonjs' },
      sourceMaps: 'inline',
    });
    module._compile(out.code, filename);
  };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === '@rampart/spoa') return ${JSON.stringify(spoaIndex)};
    return resolve.call(this, request, ...rest);
  };
}
`;
}

/** True when this module runs from its TypeScript source rather than the built `dist/`. */
export function runningFromSources(): boolean {
  return __filename.endsWith('.ts');
}
