import * as fs from 'node:fs';
import type { Directive, SecActionNode, SecRuleNode } from '../src';
import { parse, parseFile, parseFiles, print, printVariables } from '../src';
import { crsFiles, stripLocations } from './crs-helpers';

type Rule = SecRuleNode | SecActionNode;

function chainMembers(rule: Rule): Rule[] {
  const out: Rule[] = [];
  for (let r = rule.chained; r !== undefined; r = r.chained) out.push(r);
  return out;
}

function isRule(d: Directive): d is Rule {
  return d.kind === 'SecRule' || d.kind === 'SecAction';
}

describe('CRS 4', () => {
  const files = crsFiles();
  const all = parseFiles(files);
  const top = all.ast.directives.filter(isRule);
  const members = top.flatMap(chainMembers);

  test('every CRS file parses without error diagnostics', () => {
    expect(files.length).toBeGreaterThan(25);
    expect(all.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(all.diagnostics).toEqual([]); // no warnings either
    expect(all.ast.files).toEqual(files);
  });

  test('counts agree with seclang-crs4.md', () => {
    const withId = top.filter((r) => r.actions.some((a) => a.name === 'id'));
    // 629 top-level rules with an id in rules/*.conf (seclang-crs4.md 2.1), plus SecAction 900990 in crs-setup.
    expect(withId.filter((r) => !r.loc.file.endsWith('crs-setup.conf.example'))).toHaveLength(629);
    expect(withId).toHaveLength(630);
    expect(members).toHaveLength(73);
    expect(top.filter((r) => chainMembers(r).length > 0)).toHaveLength(55);
    expect(Math.max(...top.map((r) => chainMembers(r).length + 1))).toBe(5);
    const operators = [...top, ...members].flatMap((r) => (r.kind === 'SecRule' ? [r.operator] : []));
    expect(operators).toHaveLength(695);
    const rx = operators.filter((o) => o.name === 'rx');
    expect(rx).toHaveLength(318);
    expect(rx.filter((o) => o.negated)).toHaveLength(21);
    expect(operators.filter((o) => o.implicit)).toHaveLength(0);
    const kinds = (k: string) => all.ast.directives.filter((d) => d.name === k).length;
    expect(kinds('SecRuleUpdateTargetById')).toBe(55);
    expect(all.ast.directives.filter((d) => d.kind === 'RuleUpdateTarget' && d.by === 'id')).toHaveLength(55);
    expect(all.ast.directives.filter((d) => d.kind === 'SecMarker')).toHaveLength(30);
    expect(kinds('SecMarker')).toBe(30);
    expect(kinds('SecDefaultAction')).toBe(5);
    expect(kinds('SecComponentSignature')).toBe(1);
  });

  test('every chain member is reachable only through its head, and heads carry the ids', () => {
    for (const m of members) expect(m.actions.some((a) => a.name === 'id')).toBe(false);
    expect(top.filter((r) => r.actions.some((a) => a.name === 'chain')).length).toBe(55);
  });

  test('action counts agree with seclang-crs4.md', () => {
    const actions = [...top, ...members].flatMap((r) => r.actions);
    const count = (name: string) => actions.filter((a) => a.name === name).length;
    // The inventory in seclang-crs4.md 2.5 counts rules/*.conf only.
    const rulesOnly = parseFiles(files.slice(1));
    const rtop = rulesOnly.ast.directives.filter(isRule);
    const ractions = [...rtop, ...rtop.flatMap(chainMembers)].flatMap((r) => r.actions);
    const rcount = (name: string) => ractions.filter((a) => a.name === name).length;
    expect(rcount('tag')).toBe(3088);
    expect(rcount('t')).toBe(839);
    expect(rcount('setvar')).toBe(683);
    expect(rcount('id')).toBe(629);
    expect(rcount('chain')).toBe(73);
    expect(rcount('ctl')).toBe(10);
    expect(count('id')).toBe(630);
    const setvars = ractions.filter((a) => a.name === 'setvar');
    expect(setvars.every((a) => a.setvar !== undefined && a.setvar.collection === 'TX')).toBe(true);
    expect(setvars.filter((a) => a.setvar?.op === 'add')).toHaveLength(611);
    expect(setvars.filter((a) => a.setvar?.op === 'set')).toHaveLength(72);
    const ctls = ractions.filter((a) => a.name === 'ctl');
    expect(ctls.every((a) => a.ctl !== undefined)).toBe(true);
    const target = ctls.find((a) => a.ctl?.option === 'ruleRemoveTargetByTag');
    expect(target?.ctl?.target?.selector).toBe('xss-perf-disable');
    expect(target?.ctl?.target?.variables.map((v) => v.name)).toEqual(['REQUEST_FILENAME']);
  });

  test('XML XPath selectors and regex selectors are told apart', () => {
    const vars = [...top, ...members].flatMap((r) => (r.kind === 'SecRule' ? r.variables : []));
    const xml = vars.filter((v) => v.name === 'XML');
    expect(xml).toHaveLength(351);
    expect(xml.every((v) => v.selector?.kind === 'xpath')).toBe(true);
    expect(xml.filter((v) => v.selector?.kind === 'xpath' && v.selector.path === '/*')).toHaveLength(176);
    const regex = vars.filter((v) => v.selector?.kind === 'regex');
    expect(regex.map((v) => `${v.negated ? '!' : ''}${v.name}`).sort()).toEqual(
      ['!ARGS_NAMES', '!ARGS_NAMES', 'REQUEST_COOKIES', 'TX', 'TX', 'TX', 'TX', 'TX'].sort(),
    );
  });

  test('the continuation lines of 980170 are joined verbatim', () => {
    const r = top.find((d) => d.actions.some((a) => a.name === 'id' && a.value === '980170'));
    const msg = r?.actions.find((a) => a.name === 'msg')?.value;
    expect(msg).toMatch(/^Anomaly Scores: \(Inbound Scores: blocking=%\{tx\.blocking_inbound_anomaly_score\}/);
    expect(msg).toContain('threshold=%{tx.inbound_anomaly_score_threshold}) - (Outbound Scores:');
  });

  test.each(files.map((f) => [f.replace(/^.*\//, ''), f]))('round trip: parse(print(parse(%s)))', (_name, file) => {
    const first = parseFile(file);
    const printed = print(first.ast);
    const second = parse(printed);
    expect(second.diagnostics).toEqual([]);
    expect(stripLocations(second.ast.directives)).toEqual(stripLocations(first.ast.directives));
  });

  test('every action, target and operator location points at its own text in the CRS file', () => {
    const lines = new Map(files.map((f) => [f, fs.readFileSync(f, 'latin1').split('\n')]));
    const at = (loc: { file: string; line: number; column: number; endLine: number; endColumn: number }) => {
      const l = lines.get(loc.file)?.[loc.line - 1] ?? '';
      return loc.endLine === loc.line ? l.slice(loc.column - 1, loc.endColumn) : l.slice(loc.column - 1);
    };
    let checked = 0;
    for (const r of [...top, ...members]) {
      for (const a of r.actions) {
        const text = at(a.loc);
        expect(text.startsWith(a.rawName)).toBe(true);
        if (a.loc.endLine === a.loc.line && a.value !== undefined && !a.quoted) expect(text).toBe(`${a.rawName}:${a.value}`);
        checked++;
      }
      if (r.kind === 'SecRule') {
        for (const v of r.variables) {
          expect(at(v.loc)).toBe(printVariables([v]));
          checked++;
        }
        expect(at(r.operator.loc).startsWith(`${r.operator.negated ? '!' : ''}@${r.operator.rawName}`)).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(8000);
  });

  test('locations point at the rule in the file', () => {
    const file = files.find((f) => f.includes('REQUEST-942'));
    const text = fs.readFileSync(file as string, 'latin1').split('\n');
    const r = parseFile(file as string).ast.directives.find(
      (d): d is SecRuleNode => d.kind === 'SecRule' && d.actions.some((a) => a.name === 'id' && a.value === '942100'),
    );
    expect(r).toBeDefined();
    const line = text[(r?.loc.line as number) - 1] as string;
    expect(line.startsWith('SecRule')).toBe(true);
    expect(r?.loc.column).toBe(1);
    const id = r?.actions.find((a) => a.name === 'id');
    const idLine = text[(id?.loc.line as number) - 1] as string;
    expect(idLine.slice((id?.loc.column as number) - 1, id?.loc.endColumn)).toBe('id:942100');
  });
});
