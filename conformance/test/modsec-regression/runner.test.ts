import { mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCaseFile, type ModsecCase } from '../../src/modsec-regression/cases';
import { compileExpected } from '../../src/modsec-regression/expected-regex';
import { judge } from '../../src/modsec-regression/judge';
import { readDeviations } from '../../src/modsec-regression/ledger';
import { needsOf } from '../../src/modsec-regression/needs';
import { runCase } from '../../src/modsec-regression/run-case';

const testDir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'modsecurity-regression', 'test');

function oneCase(json: string): ModsecCase {
  return parseCaseFile(`[${json}]`, 'x.json')[0]!;
}

describe('reading cases as ModSecurity runner reads them', () => {
  it('keeps duplicate header keys, ends every body and rule line with \\n, keeps the raw http_version', () => {
    const c = oneCase(`{"enabled":1,"title":"t","request":{"headers":{"User-Agent":"a","Host":"h","User-Agent":"b"},
      "http_version":1.10,"uri":"/é","body":["x=1","y=2"]},"rules":["SecRuleEngine On","SecRule ARGS \\"@rx 2\\" \\"id:1,deny\\""],
      "expected":{"http_code":403},"expected":{"debug_log":"z"}}`);
    expect(c.request.headers).toEqual([['User-Agent', 'a'], ['Host', 'h'], ['User-Agent', 'b']]);
    expect(c.request.body).toBe('x=1\ny=2\n');
    expect(c.rules).toBe('SecRuleEngine On\nSecRule ARGS "@rx 2" "id:1,deny"\n');
    expect(c.request.httpVersion).toBe('1.10');
    // UTF-8 text becomes its bytes.
    expect(c.request.uri).toBe('/\xc3\xa9');
    // Both `expected` objects are read in order, as the runner's loop over the keys does: a field of the
    // second one wins, a field only the first one has stays.
    expect(c.expected.httpCode).toBe(403);
    expect(c.expected.debugLog).toBe('z');
    expect(c.id).toBe('x.json:1');
  });

  it('a missing http_version is empty, a string body is taken as it is', () => {
    const c = oneCase('{"request":{"uri":"/","body":""},"rules":[]}');
    expect(c.request.httpVersion).toBe('');
    expect(c.request.body).toBe('');
  });
});

describe('expected regexes', () => {
  it('are searched with DOTALL and MULTILINE, an empty one matches anything', () => {
    const re = compileExpected('^b.c$') as RegExp;
    expect(re.test('a\nb\nc\nd')).toBe(true);
    expect((compileExpected('') as RegExp).test('')).toBe(true);
    expect((compileExpected('(?i)ABC') as RegExp).test('xabcx')).toBe(true);
    expect(typeof compileExpected('(')).toBe('string');
  });

  it('PCRE subject anchors \\A, \\z and \\Z are anchors, not letters (issue-2196: an empty audit log)', () => {
    const empty = compileExpected('\\A[\\s\\S]{0}\\z') as RegExp;
    expect(empty.test('')).toBe(true);
    expect(empty.test('A line\n')).toBe(false);
    expect(empty.test('Az')).toBe(false);
    // MULTILINE does not make them line anchors
    expect((compileExpected('\\Ab') as RegExp).test('a\nb')).toBe(false);
    expect((compileExpected('a\\z') as RegExp).test('a\nb')).toBe(false);
    expect((compileExpected('b\\Z') as RegExp).test('a\nb\n')).toBe(true);
    // escaped backslashes and character classes keep their letters
    expect((compileExpected('\\\\A') as RegExp).test('\\A')).toBe(true);
    expect((compileExpected('[\\]A]') as RegExp).test('A')).toBe(true);
  });
});

describe('judging', () => {
  const outcome = { loadError: undefined, warnings: [], status: 403, errorLog: '[id "1"]\n', debugLog: 'Rule returned 1.\n', auditLog: '', crash: undefined };
  it('a parser_error case passes only when the configuration was refused', () => {
    const c = oneCase('{"rules":["x"],"expected":{"parser_error":"bad"}}');
    expect(judge(c, outcome)).toEqual([{ tier: 'load', passed: false, reason: expect.stringContaining('refuses') }]);
    expect(judge(c, { ...outcome, loadError: 'no' })).toEqual([{ tier: 'load', passed: true }]);
  });

  it('judges status, error log and trace apart; a load failure fails each of them', () => {
    const c = oneCase('{"rules":[],"expected":{"http_code":403,"error_log":"id .2","debug_log":"Rule returned 1"}}');
    expect(judge(c, outcome).map((k) => [k.tier, k.passed])).toEqual([['trace', true], ['status', true], ['error_log', false]]);
    expect(judge(c, { ...outcome, loadError: 'x\n  y' }).every((k) => !k.passed && k.reason === 'refused to load: x | y')).toBe(true);
  });
});

describe('needs', () => {
  it('come from the resource field and from the rules', () => {
    expect(needsOf(oneCase('{"resource":"lua","rules":[]}'))).toEqual(['lua']);
    expect(needsOf(oneCase('{"resource":"libxml2","rules":["SecRule XML \\"@validateSchema x.xsd\\" \\"id:1\\""]}'))).toEqual(['xml-schema']);
    expect(needsOf(oneCase('{"rules":["SecRule REMOTE_ADDR \\"@rbl x.org\\" \\"id:1\\""]}'))).toEqual(['network']);
    expect(needsOf(oneCase('{"rules":[]}'))).toEqual([]);
  });
});

describe('deviations', () => {
  it('every entry needs a known case and a reason', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-'));
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, '- case: a.json:1\n  reason: needs libxml2 schema validation\n');
    expect(readDeviations(file, new Set(['a.json:1']))).toEqual([{ case: 'a.json:1', tiers: undefined, reason: 'needs libxml2 schema validation' }]);
    writeFileSync(file, '- case: a.json:1\n');
    expect(() => readDeviations(file, new Set(['a.json:1']))).toThrow(/needs a reason/);
    writeFileSync(file, '- case: b.json:1\n  reason: needs libxml2 schema validation\n');
    expect(() => readDeviations(file, new Set(['a.json:1']))).toThrow(/unknown case/);
  });
});

describe('running a case through the engine', () => {
  it('keeps going after an interruption: the last interruption gives the status, later phases run', async () => {
    const c = oneCase(`{"request":{"uri":"/?a=1","method":"GET","headers":{"Host":"x"}},"rules":[
      "SecRuleEngine On",
      "SecRule ARGS:a \\"@streq 1\\" \\"id:1,phase:1,deny,status:401\\"",
      "SecRule ARGS:a \\"@streq 1\\" \\"id:2,phase:3,deny,status:402,log\\""],"expected":{"http_code":402}}`);
    const o = await runCase(c, { testDir });
    expect(o.loadError).toBeUndefined();
    expect(o.status).toBe(402);
    expect(o.errorLog).toMatch(/\[id "2"\]/);
    // The debug log is captured at level 9.
    expect(o.debugLog).toMatch(/Target value: "1" \(Variable: ARGS:a\)/);
    expect(judge(c, o).every((k) => k.passed)).toBe(true);
  });

  it('reports a refused configuration as a load error', async () => {
    const o = await runCase(oneCase('{"rules":["SecNoSuchDirective On"]}'), { testDir });
    expect(o.loadError).toMatch(/SecNoSuchDirective/);
  });
});
