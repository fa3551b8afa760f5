import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { formatJson, lint, lintText } from '../src';

const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../schema/lint-output.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schema);
const errorsOf = () => JSON.stringify(validate.errors, null, 2);

describe('schema/lint-output.schema.json', () => {
  it('describes the output for findings of every kind, with related places, fixes and stats', () => {
    const text = 'SecRule ARGZ "@beginswith a" "phase:2,id:1,pass"\nSecAction "id:1,phase:1,pass,nolog"\nSecRule ARGS "@rx (?i)a" "id:2,phase:2,pass,t:lowercase,t:none"\n';
    const result = lintText(text, { file: '/work/rules/a.conf', profile: 'crs' });
    expect(result.diagnostics.some((d) => d.related !== undefined)).toBe(true);
    expect(result.diagnostics.some((d) => d.fix !== undefined)).toBe(true);
    expect(result.diagnostics.some((d) => d.severity === 'warning')).toBe(true);
    const doc = JSON.parse(formatJson(result.diagnostics, { cwd: '/work', stats: result.stats, profile: 'crs' }));
    expect(validate(doc)).toBe(true);
    expect(doc.profile).toBe('crs');
    expect(doc.diagnostics.filter((d: { fixable?: boolean }) => d.fixable === true).length).toBeGreaterThan(0);
  });

  it('describes a clean run without stats', () => {
    const doc = JSON.parse(formatJson([], { cwd: '/work' }));
    expect(validate(doc)).toBe(true);
    expect(doc).toEqual({ tool: { name: 'rampart-lint', version: expect.stringMatching(/^[0-9]+\.[0-9]+\.[0-9]+/) }, profile: 'generic', diagnostics: [] });
  });

  it('rejects what the output never holds', () => {
    expect(validate({ tool: { name: 'rampart-lint', version: '1.0.0' }, profile: 'generic', diagnostics: [{ file: 'a', line: 0, column: 1 }] })).toBe(false);
    expect(errorsOf()).toMatch(/minimum|required/);
    expect(validate({ tool: { name: 'x', version: '1.0.0' }, profile: 'strict', diagnostics: [] })).toBe(false);
  });

  it('fits a real run over files with Includes', () => {
    const result = lint([path.resolve(__dirname, 'fixtures/bad.conf')]);
    expect(validate(JSON.parse(formatJson(result.diagnostics, { cwd: __dirname, stats: result.stats })))).toBe(true);
  });
});
