import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinChecks } from '../../src';

const camel = (name: string) => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
const tests = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'))
  .join('\n');
const readme = fs.readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

describe.each(builtinChecks.map((c) => [c.name, c] as const))('%s', (name, check) => {
  it('has a file of its own and CheckTester cases', () => {
    expect(fs.existsSync(path.resolve(__dirname, `../../src/checks/${name}.ts`))).toBe(true);
    expect(tests).toContain(`.run(${camel(name)}, {`);
  });

  it('is documented in the README with its severity', () => {
    expect(readme).toContain(`| <a id="${name}"></a>\`${name}\` | ${check.meta.severity} | ${(check.meta.profiles ?? ['generic', 'crs']).join(', ')} |`);
  });
});
