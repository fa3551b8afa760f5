import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWaf, type Waf } from '../../src';
import { crsWaf as crsWafWith, SHARED } from '../prefilter/corpus';
import { attachRegexSets, regexSetMatches } from '../../src/rules/regex-sets';
import { valueState, type ValueState } from '../../src/rules/value-state';

/** CRS with or without sets; the prefilter is off unless asked, as it keeps patterns out of sets. */
function crsWaf(regexSets: boolean, regexPrefilter = false): Waf {
  return crsWafWith({ regexSets, regexPrefilter });
}

/** URIs and bodies of CRS's own regression tests: attacks for every rule family. */
function crsPayloads(limit: number): string[] {
  const out: string[] = [];
  const dir = path.join(SHARED, 'crs4/tests/regression/tests');
  for (const family of fs.readdirSync(dir).sort()) {
    for (const file of fs.readdirSync(path.join(dir, family)).sort()) {
      const text = fs.readFileSync(path.join(dir, family, file), 'latin1');
      for (const m of text.matchAll(/^\s*(?:uri|data):\s*["']?(.{1,400}?)["']?\s*$/gm)) out.push(m[1]!);
    }
  }
  const step = Math.max(1, Math.floor(out.length / limit));
  return out.filter((_, i) => i % step === 0).slice(0, limit);
}

describe('@rx answered by shared RE2 sets', () => {
  const withSets = crsWaf(true);
  const without = crsWaf(false);
  const asShipped = crsWaf(true, true);

  function outcome(waf: Waf, payload: string, i: number): string {
    const tx = waf.newTransaction({ id: `t${i}` });
    tx.processConnection('10.0.0.1', 1234, '10.0.0.2', 80);
    tx.processUri(payload.startsWith('/') ? payload : `/?q=${payload}`, 'POST', 'HTTP/1.1');
    tx.addRequestHeader('Host', 'example.com');
    tx.addRequestHeader('User-Agent', 'Mozilla/5.0');
    tx.addRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
    const it = tx.processRequestHeaders() ?? (tx.appendRequestBody(`a=${payload}`), tx.processRequestBody());
    tx.processLogging();
    return JSON.stringify({ it: it?.ruleId, rules: tx.matchedRules.map((r) => [r.id, r.data, r.matchedVarName]) });
  }

  test('give the same matches, captures and verdicts as single regexes over CRS attack payloads', () => {
    const payloads = crsPayloads(600);
    expect(payloads.length).toBeGreaterThan(300);
    let attacks = 0;
    payloads.forEach((p, i) => {
      const a = outcome(withSets, p, i);
      expect(a).toBe(outcome(without, p, i));
      // Sets and prefilter together, as createWaf runs by default.
      expect(outcome(asShipped, p, i)).toBe(a);
      if (a.includes('949110')) attacks++;
    });
    // The corpus really exercises the rules: most payloads are attacks that reach the blocking threshold.
    expect(attacks).toBeGreaterThan(payloads.length / 3);
  }, 120_000);

  test('answer exactly like the single regex on long hostile values that pressure the DFA cache', () => {
    let seed = 42;
    const rnd = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const pieces = ["' union select ", '<script>', '../', '%00', '\\x5c', '`', '$(', 'eval(', '<?php', '\r\n', 'MAIL FROM:<a@b>'];
    const values: string[] = [];
    for (let v = 0; v < 12; v++) {
      let s = '';
      while (s.length < 65536) s += rnd() < 0.2 ? pieces[Math.floor(rnd() * pieces.length)]! : String.fromCharCode(Math.floor(rnd() * 256));
      values.push(s);
    }
    const rules = [1, 2, 3, 4, 5].map((p) => withSets.rulesForPhase(p)).flat().flatMap((r) => (r.chained ? [r, r.chained] : [r]));
    const RE2 = require('re2') as typeof import('re2');
    const { withPcreSpaces } = require('../../src/operators/regex') as typeof import('../../src/operators/regex');
    const states = new Map<string, ValueState>();
    let checked = 0;
    for (const rule of rules) {
      if (!rule.regexSet) continue;
      const single = new RE2(withPcreSpaces(rule.operator.patternConstant!), 'sm');
      for (const value of values) {
        expect([rule.id, regexSetMatches(valueState(states, value), rule.regexSet)]).toEqual([rule.id, single.test(value)]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  }, 120_000);

  test('sets are built for CRS patterns and a set answer is cached per value', () => {
    const rules = [1, 2, 3, 4, 5].map((p) => withSets.rulesForPhase(p)).flat();
    const grouped = rules.filter((r) => r.regexSet !== undefined);
    expect(grouped.length).toBeGreaterThan(150);
    const ref = grouped[0]!.regexSet!;
    const states = new Map<string, ValueState>();
    const first = regexSetMatches(valueState(states, 'some value'), ref);
    const answer = states.get('some value')!.setBits![ref.group.id];
    expect(answer).toBeDefined();
    // The second question is answered from the record: a changed record changes the answer.
    states.get('some value')!.setBits![ref.group.id] = answer! ^ (1 << ref.index);
    expect(regexSetMatches(valueState(states, 'some value'), ref)).toBe(!first);
  });

  test('patterns with macros or that need the backtracking engine keep their own regex', () => {
    const waf = createWaf({
      directives: [
        'SecRule ARGS "@rx a%{tx.x}" "id:1,phase:2,pass,t:none"',
        'SecRule ARGS "@rx ^(?!x)y" "id:2,phase:2,pass,t:none"',
        'SecRule ARGS "@rx b" "id:3,phase:2,pass,t:none"',
        'SecRule ARGS "@rx c" "id:4,phase:2,pass,t:none"',
      ].join('\n'),
      onWarning: () => undefined,
    });
    const byId = new Map(waf.rulesForPhase(2).map((r) => [r.id, r]));
    expect(byId.get(1)!.regexSet).toBeUndefined();
    expect(byId.get(2)!.regexSet).toBeUndefined();
    expect(byId.get(3)!.regexSet).toBeDefined();
    expect(byId.get(4)!.regexSet?.group).toBe(byId.get(3)!.regexSet!.group);
    expect(attachRegexSets([])).toBe(0);
  });
});
