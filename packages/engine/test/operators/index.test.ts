import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { builtinOperators, compileAsyncOperator, compileOperator, findOperator, indexOperators, OperatorCompileError } from '../../src/operators';
import { defineOperator } from '../../src/operators/types';

const expected = [
  'beginsWith', 'contains', 'containsWord', 'detectSQLi', 'detectXSS', 'endsWith', 'eq', 'fuzzyHash', 'ge',
  'geoLookup', 'gsbLookup', 'gt', 'inspectFile', 'ipMatch', 'ipMatchFromDataset', 'ipMatchFromFile', 'le',
  'lt', 'noMatch', 'pm', 'pmFromDataset', 'pmFromFile', 'rbl', 'restpath', 'rsub', 'rx', 'rxGlobal', 'streq',
  'strmatch', 'unconditionalMatch', 'validateByteRange', 'validateDTD', 'validateHash', 'validateNid',
  'validateSchema', 'validateUrlEncoding', 'validateUtf8Encoding', 'verifyCC', 'verifyCPF', 'verifySSN',
  'verifySVNR', 'within',
];

describe('operator index', () => {
  it('lists every operator once, sorted, keyed by canonical name', () => {
    const keys = Object.keys(builtinOperators);
    expect(keys).toEqual(expected);
    expect([...keys].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))).toEqual(keys);
    for (const [key, def] of Object.entries(builtinOperators)) expect(def.name).toBe(key);
  });

  it('has a test file per operator', () => {
    const tests = new Set(readdirSync(__dirname));
    for (const name of expected) {
      const file = `${name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').replace(/DTD|SQLi|XSS|CC|CPF|SSN|SVNR/g, (m) => m.toLowerCase()).toLowerCase()}.test.ts`;
      expect(tests.has(file) ? file : `missing ${file}`).toBe(file);
    }
  });

  it('finds operators case-insensitively, with aliases', () => {
    expect(findOperator('RX')?.name).toBe('rx');
    expect(findOperator('pmf')?.name).toBe('pmFromFile');
    expect(findOperator('PmFromFile')?.name).toBe('pmFromFile');
    expect(findOperator('ipmatchf')?.name).toBe('ipMatchFromFile');
    expect(findOperator('detectsqli')?.name).toBe('detectSQLi');
    expect(findOperator('nosuch')).toBeUndefined();
  });

  it('refuses duplicate names and aliases at load', () => {
    const a = defineOperator({ name: 'foo', compile: () => () => true });
    const b = defineOperator({ name: 'bar', aliases: ['FOO'], compile: () => () => true });
    expect(() => indexOperators([a, b])).toThrow(/"FOO" is claimed by both @foo and @bar/);
  });

  it('compileOperator accepts @-prefixed names and rejects unknown ones and async operators', () => {
    expect(compileOperator('@streq', 'a')('a')).toBe(true);
    expect(() => compileOperator('nosuch', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('rbl', 'zen.spamhaus.org')).toThrow(/asynchronous: use compileAsyncOperator/);
  });

  it('compileAsyncOperator works for synchronous operators too', async () => {
    await expect(compileAsyncOperator('contains', 'b')('abc')).resolves.toBe(true);
  });

  it('accepts a parsed MacroString argument', () => {
    const m = compileOperator('streq', { text: '%{tx.a}-x', parts: [{ collection: 'TX', key: 'a', raw: '%{tx.a}' }, '-x'] });
    expect(m('1-x', { resolve: (ref) => (ref.key === 'a' ? '1' : '?') })).toBe(true);
  });
});
