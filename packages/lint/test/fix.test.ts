import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, print } from '@rampart/seclang';
import type { ConfigAst, Directive } from '@rampart/seclang';
import { applyFixes, checksForProfile, fixUntilStable, lint, lintText, SourceFile } from '../src';
import type { LintDiagnostic } from '../src';

const crs = path.resolve(__dirname, '../../../../shared/crs4');
const files = [
  path.join(crs, 'crs-setup.conf.example'),
  ...['REQUEST-901-INITIALIZATION.conf', 'REQUEST-920-PROTOCOL-ENFORCEMENT.conf', 'REQUEST-932-APPLICATION-ATTACK-RCE.conf', 'RESPONSE-980-CORRELATION.conf'].map((f) =>
    path.join(crs, 'rules', f),
  ),
];
jest.setTimeout(120_000);

const fixable = checksForProfile('crs').filter((c) => c.meta.fixable === true);

/** A rule set as the engine sees it: canonical names, actions grouped by name in the order written. */
function canonical(ast: ConfigAst): string {
  const normalise = (d: Directive): Directive => {
    if (d.kind !== 'SecRule' && d.kind !== 'SecAction') return d;
    const actions = [...d.actions]
      .map((a) => ({ ...a, rawName: a.name, ...(a.name === 't' && a.value !== undefined ? { value: a.value.toLowerCase() } : {}) }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const op = d.kind === 'SecRule' ? { operator: { ...d.operator, rawName: d.operator.name, implicit: false } } : {};
    return { ...d, ...op, actions, ...(d.chained === undefined ? {} : { chained: normalise(d.chained) as typeof d.chained }) } as Directive;
  };
  return print(ast.directives.map(normalise));
}

describe('applyFixes', () => {
  const source = new SourceFile('/a.conf', 'abcdef');
  const d = (start: number, end: number, text: string): LintDiagnostic => ({
    check: 'x',
    severity: 'error',
    message: 'm',
    loc: { file: '/a.conf', line: 1, column: 1, endLine: 1, endColumn: 1 },
    fix: { file: '/a.conf', edits: [{ start, end, text }] },
  });

  it('applies edits that do not overlap, and leaves the others for the next pass', () => {
    const out = applyFixes([d(0, 1, 'A'), d(0, 2, 'XY'), d(4, 4, '-')], new Map([['/a.conf', source]]));
    expect(out.files.get('/a.conf')).toBe('Abcd-ef');
    expect(out.applied).toBe(2);
    expect(out.skipped).toBe(1);
  });
});

describe('--fix on CRS 4.28.0 spoilt by hand', () => {
  const originals = new Map(files.map((f) => [f, fs.readFileSync(f, 'latin1')]));
  /** Mechanical damage of the kinds --fix repairs: case, action order, indentation, trailing blanks. */
  const spoil = (text: string) =>
    text
      .replace(/"id:([0-9]+),\\\n    phase:([0-9]),\\\n/g, '"phase:$2,\\\n    id:$1,\\\n')
      .split('\n')
      .map((line) => (line.startsWith('#') ? line : line.replace(/@beginsWith /g, '@beginswith ').replace(/t:urlDecodeUni/g, 't:urldecodeuni').replace(/skipAfter:/g, 'skipafter:')))
      .join('\n')
      .replace(/\n    "id:/g, '\n      "id:')
      .replace(/^(SecMarker .*)$/gm, '$1  ')
      .replace(/^    SecRule /gm, '  SecRule ');
  const texts = new Map([...originals].map(([f, t]) => [f, spoil(t)]));

  it('the spoilt text has findings of every fixable check', () => {
    const { diagnostics } = lint(files, { checks: fixable, profile: 'crs', readFile: (p) => texts.get(p) as string });
    expect(new Set(diagnostics.map((x) => x.check))).toEqual(new Set(['crs-action-order', 'crs-formatting', 'crs-name-case']));
    expect(diagnostics.every((x) => x.fix !== undefined)).toBe(true);
  });

  it('fixes back to the original text, which lints clean and parses to the same rules', () => {
    const run = fixUntilStable(
      () => lint(files, { checks: fixable, profile: 'crs', readFile: (p) => texts.get(p) as string }),
      (file, text) => texts.set(file, text),
    );
    expect(run.result.diagnostics).toEqual([]);
    expect(run.passes).toBeGreaterThanOrEqual(1);
    for (const f of files) expect(texts.get(f)).toBe(originals.get(f));
    for (const f of files) {
      expect(canonical(parse(texts.get(f) as string, { file: f }).ast)).toBe(canonical(parse(spoil(originals.get(f) as string), { file: f }).ast));
    }
  });
});

describe('fixes keep the rules the same', () => {
  it('a rule with every kind of fixable problem', () => {
    const text = '  SecRule ARGS "@BeginsWith /x"  "id:1,t:LOWERCASE,setvar:tx.a=1,phase:2,t:urlDecodeUni,DENY,chain"\nSecRule TX:1  "index" "t:none"   \n';
    const store = new Map([['/r.conf', text]]);
    const run = fixUntilStable(
      () => lintText(store.get('/r.conf') as string, { file: '/r.conf', checks: fixable, profile: 'crs' }),
      (file, t) => store.set(file, t),
    );
    const fixed = store.get('/r.conf') as string;
    expect(fixed).toBe('SecRule ARGS "@beginsWith /x" "id:1,phase:2,deny,t:lowercase,t:urlDecodeUni,setvar:tx.a=1,chain"\n    SecRule TX:1 "@rx index" "t:none"\n');
    expect(run.result.diagnostics).toEqual([]);
    expect(canonical(parse(fixed).ast)).toBe(canonical(parse(text).ast));
  });
});
