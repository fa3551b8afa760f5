/**
 * The safety property on random patterns built from the RE2 syntax the parser claims to understand, with its
 * corners stressed (`]` first in a class, `{` that is not a count, `\Q..\E` followed by a quantifier, flags,
 * latin1 and case-folding characters). RE2 is the judge: any value it matches must leave the pattern a
 * candidate. Values come both from the parsed tree and from brute force over the pattern's own characters, so a
 * parser that misreads the pattern is still caught.
 */
import RE2 from 're2';
import { withPcreSpaces } from '../../src/operators/regex';
import { patternRequirement, RegexPrefilter, type Candidates } from '../../src/prefilter/regex-prefilter';
import { parseRegex } from '../../src/prefilter/regex-syntax';
import { atomsOf, type Requirement } from '../../src/prefilter/requirements';
import { compilesUnderRe2 } from '../../src/rules/regex-sets';
import { seededRandom } from './corpus';
import { mutateCase, pick, randomText, sample, wideFolds, type Random } from './generators';

const LITERALS = ['a', 'b', 'c', 'x', 'A', 'B', 'k', 'K', 's', 'S', '-', ']', '}', '{', ',', ' ', '\u00e9', '\u00c9', '\u00df', '\u00ff', '\u00b5', '\u00e5', '\u00c5', '\u00d7'];
const ESCAPES = ['\\.', '\\{', '\\]', '\\[', '\\\\', '\\-', '\\x41', '\\x61', '\\x{e9}', '\\xC9', '\\n', '\\t', '\\v', '\\f', '\\*', '\\$', '\\^', '\\|'];
const CLASS_ITEMS = ['a', 'b', 'B', 'k', 's', 'x-z', 'A-C', '0-2', '\\d', '\\w', '\\s', '\\S', '\\D', '\\W', '[:alpha:]', '[:digit:]', '[:^space:]', '[:punct:]', '-', '\\]', '\\-', '\\x{e9}', '\u00c9', '\u00e0-\u00e2', ' ', '.', '*', '\\pL', '\\x{100}-\\x{200}'];
const SPECIALS = ['.', '\\C', '\\d', '\\s', '\\w', '\\S', '\\D', '\\W', '\\pL', '\\PN', '^', '$', '\\b', '\\B', '\\A', '\\z'];
const QUANTIFIERS = ['*', '+', '?', '*?', '+?', '??', '{2}', '{0,1}', '{1,3}', '{2,}', '{0}', '{1}', '{,2}', '{x}', '{1,3}?'];

function randomClass(rnd: Random): string {
  let s = '[';
  if (rnd() < 0.25) s += '^';
  if (rnd() < 0.15) s += ']';
  const n = 1 + Math.floor(rnd() * 3);
  for (let i = 0; i < n; i++) s += pick(rnd, CLASS_ITEMS);
  return `${s}]`;
}

function randomAtom(rnd: Random, depth: number): string {
  const r = rnd();
  if (r < 0.35) return pick(rnd, LITERALS);
  if (r < 0.5) return pick(rnd, ESCAPES);
  if (r < 0.62) return randomClass(rnd);
  if (r < 0.72) return pick(rnd, SPECIALS);
  // An empty `\\Q\\E` is left out here: it has its own (failing) test below.
  if (r < 0.77) return `\\Q${pick(rnd, ['ab', 'a.b', 'k]', 'x*'])}\\E`;
  if (depth > 2) return pick(rnd, LITERALS);
  const open = pick(rnd, ['(', '(?:', '(?i:', '(?-i:', '(?P<n>', '(?s:']);
  return `${open}${randomAlternation(rnd, depth + 1)})`;
}

function randomConcat(rnd: Random, depth: number): string {
  let s = '';
  const n = Math.floor(rnd() * 6);
  for (let i = 0; i < n; i++) {
    if (rnd() < 0.05) s += pick(rnd, ['(?i)', '(?-i)', '(?s)']);
    s += randomAtom(rnd, depth);
    if (rnd() < 0.25) s += pick(rnd, QUANTIFIERS);
  }
  return s;
}

function randomAlternation(rnd: Random, depth: number): string {
  const parts = [randomConcat(rnd, depth)];
  while (rnd() < 0.3) parts.push(randomConcat(rnd, depth));
  return parts.join('|');
}

function randomPattern(rnd: Random): string {
  return (rnd() < 0.3 ? '(?i)' : '') + randomAlternation(rnd, 0);
}

/** Short strings over the pattern's own characters (and their case pairs): independent of the parser. */
function bruteForce(pattern: string, rnd: Random, count: number): string[] {
  const chars = [...new Set([...pattern, ...pattern.toUpperCase(), ...pattern.toLowerCase(), '\n', 'A', 'é', '\u212a', '\u017f'])];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let s = '';
    const n = Math.floor(rnd() * 9);
    for (let j = 0; j < n; j++) s += pick(rnd, chars);
    out.push(s);
  }
  return out;
}

interface Case {
  source: string;
  re: RE2;
  requirement: Exclude<Requirement, true>;
  values: string[];
}

function listed(c: Candidates, index: number): boolean {
  return c === null || c.includes(index);
}

/** Set PREFILTER_FUZZ_SEED to hunt with other random patterns; the default keeps runs reproducible. */
const SEED = Number(process.env['PREFILTER_FUZZ_SEED'] ?? 20261122);

describe('RegexPrefilter against RE2 on random patterns', () => {
  test(`every RE2 match is a candidate (seed ${SEED})`, () => {
    const rnd = seededRandom(SEED);
    const cases: Case[] = [];
    let generated = 0;
    let rejectedByRe2 = 0;
    let unsupported = 0;
    while (cases.length < 3000 && generated < 20000) {
      generated++;
      const source = withPcreSpaces(randomPattern(rnd));
      if (!compilesUnderRe2(source)) {
        rejectedByRe2++;
        continue;
      }
      let ast;
      try {
        ast = parseRegex(source);
      } catch {
        unsupported++;
        continue;
      }
      const requirement = patternRequirement(source);
      if (requirement === undefined) continue;
      const values = bruteForce(source, rnd, 40);
      for (let i = 0; i < 10; i++) {
        const s = sample(ast, rnd, 60);
        values.push(s, mutateCase(s, rnd), randomText(rnd, 4) + s + randomText(rnd, 4), wideFolds(s));
      }
      for (const atom of atomsOf(requirement)) values.push(mutateCase(atom, rnd), wideFolds(atom));
      cases.push({ source, re: new RE2(source, 'sm'), requirement, values });
    }
    expect(cases.length).toBe(3000);

    // One prefilter over all the patterns (shared atoms and sub-requirements), as the engine builds it.
    const prefilter = new RegexPrefilter(cases.map((c) => c.requirement));
    let pairs = 0;
    let matches = 0;
    let rejected = 0;
    const violations: string[] = [];
    cases.forEach((c, index) => {
      for (const value of c.values) {
        pairs++;
        const ok = listed(prefilter.candidates(value), index);
        if (!ok) rejected++;
        if (!c.re.test(value)) continue;
        matches++;
        if (!ok && violations.length < 20) violations.push(`${JSON.stringify(c.source)} matches ${JSON.stringify(value)}`);
      }
    });
    console.log(
      `prefilter fuzz: ${generated} random patterns, ${rejectedByRe2} refused by RE2, ${unsupported} refused by the parser, ` +
        `${cases.length} with a requirement; ${pairs} (pattern, value) pairs, ${matches} RE2 matches, ${rejected} skipped by the prefilter`,
    );
    expect(violations).toEqual([]);
    expect(matches).toBeGreaterThan(pairs / 4);
    expect(rejected).toBeGreaterThan(pairs / 10);
  });

  // BUG (regex-syntax.ts, Parser.concatenation): an empty `\\Q\\E` yields no atom, and the loop goes on, so a
  // counted repetition right after it is read by atom() as literal text `{2}`. RE2 drops the empty quote and
  // applies the count to the previous atom: `x\\Q\\E{2}` is `x{2}` and matches "xx", while the parser requires
  // the literal "x{2}", so the prefilter rules the pattern out for "xx" (a missed match). With `*`, `+`, `?`
  // the parser throws UnsupportedSyntax (safe). Found by the fuzz test above with the empty quote enabled.
  const emptyQuoteCases: Array<[string, string]> = [
    ['x\\Q\\E{2}', 'xx'],
    ['[ab]\\Q\\E{1,3}', 'b'],
    ['(?i)()\\Q\\E{0}a^{0}', 'a'],
  ];
  test.each(emptyQuoteCases)('RE2 matches %s on %j (premise of the known bug)', (source, value) => {
    expect(new RE2(source, 'sm').test(value)).toBe(true);
  });
  test.failing.each(emptyQuoteCases)('KNOWN BUG: %s matches %j but is not a candidate', (source, value) => {
    const requirement = patternRequirement(source);
    const candidates = requirement === undefined ? null : new RegexPrefilter([requirement]).candidates(value);
    expect(listed(candidates, 0)).toBe(true);
  });
});
