/**
 * What text a regular expression's match must contain, as a formula over "the value contains this string"
 * atoms: `(?i)union\s+select` needs `union` AND `select`; `<script|javascript:` needs `<script` OR
 * `javascript:`. A value whose atoms make the formula false cannot match, so the regex need not run (RE2's
 * prefilter idea, rebuilt here over the engine's latin1 values).
 *
 * Everything is case-folded (foldLatin1): a case-sensitive literal then only gets a weaker requirement,
 * never a wrong one. The analysis is conservative: whatever it cannot reason about requires nothing.
 */
import type { RegexNode } from './regex-syntax';

export type Requirement = true | { op: 'atom'; text: string } | { op: 'and' | 'or'; parts: Requirement[] };

/** Largest set of exact strings tracked for a sub-pattern before it becomes a plain requirement. */
const MAX_EXACT = 32;
/** Longest string built by repeating a part (`x{1000}`): longer requirements only grow the automaton. */
const MAX_REPEATED_LENGTH = 64;
/** A character set larger than this requires nothing (as `.` does). */
const MAX_SET = 12;

/**
 * Folds a latin1 code for case-insensitive comparison, as RE2's `(?i)` does within latin1: A-Z and
 * À-Þ (except ×) to their lower-case forms.
 */
export function foldLatin1(code: number): number {
  if (code >= 0x41 && code <= 0x5a) return code + 0x20;
  if (code >= 0xc0 && code <= 0xde && code !== 0xd7) return code + 0x20;
  return code;
}

/** Either the exact (folded) strings the sub-pattern can match, or what its matches must contain. */
interface Info {
  exact?: Set<string>;
  match: Requirement;
}

const ANYTHING: Info = { match: true };

export function requirementOf(node: RegexNode): Requirement {
  return asRequirement(info(node));
}

function info(node: RegexNode): Info {
  switch (node.kind) {
    case 'char':
      if (node.code > 0xff) return ANYTHING;
      return { exact: new Set([String.fromCharCode(foldLatin1(node.code))]), match: true };
    case 'set': {
      if (node.wide) return ANYTHING;
      const folded = new Set<string>();
      for (let c = 0; c < 256; c++) if (node.members[c]) folded.add(String.fromCharCode(foldLatin1(c)));
      if (folded.size === 0 || folded.size > MAX_SET) return ANYTHING;
      return { exact: folded, match: true };
    }
    case 'any':
      return ANYTHING;
    case 'empty':
      return { exact: new Set(['']), match: true };
    case 'concat':
      return concatenation(node.parts.map(info));
    case 'alternate':
      return node.options.map(info).reduce(alternate);
    case 'repeat': {
      const inner = info(node.node);
      if (node.min === 0) {
        // `x?` is x or nothing; `x*` and `x{0,n}` can be anything built from x, so they require nothing.
        if (node.max === 1 && inner.exact && inner.exact.size < MAX_EXACT) return { exact: new Set([...inner.exact, '']), match: true };
        return ANYTHING;
      }
      if (node.min === 1 && node.max === 1) return inner;
      // `x{n,m}` is n or more x in a row, so it contains n of them in a row: `\.{2,3}` needs "..". Fewer
      // copies are still contained, so the repetition stops while the strings stay few and short (exact only
      // when every copy is there and n = m).
      if (inner.exact && node.min > 1) {
        let run = inner.exact;
        let copies = 1;
        while (copies < node.min) {
          const longer = joined(run, inner.exact);
          if (longer === undefined || [...longer].some((t) => t.length > MAX_REPEATED_LENGTH)) break;
          run = longer;
          copies++;
        }
        if (copies === node.min && node.max === node.min) return { exact: run, match: true };
        return { match: asRequirement({ exact: run, match: true }) };
      }
      // At least one x: whatever x requires.
      return { match: asRequirement(inner) };
    }
  }
}

/**
 * Runs of exact parts are joined into their strings (`\s+select` needs "select", not s, e, l, e, c, t);
 * a run ends at a part that is not exact, or when its strings would become too many.
 */
function concatenation(parts: Info[]): Info {
  let required: Requirement = true;
  let run: Set<string> | undefined;
  let exact = true;
  for (const p of parts) {
    if (p.exact) {
      if (run === undefined) {
        run = p.exact;
      } else if (run.size * p.exact.size <= MAX_EXACT) {
        run = joined(run, p.exact)!;
      } else {
        exact = false;
        required = and(required, asRequirement({ exact: run, match: true }));
        run = p.exact;
      }
    } else {
      exact = false;
      if (run !== undefined) required = and(required, asRequirement({ exact: run, match: true }));
      run = undefined;
      required = and(required, p.match);
    }
  }
  if (exact) return { exact: run ?? new Set(['']), match: true };
  if (run !== undefined) required = and(required, asRequirement({ exact: run, match: true }));
  return { match: required };
}

/** Every string of `a` followed by every string of `b`, or undefined when they would be too many. */
function joined(a: Set<string>, b: Set<string>): Set<string> | undefined {
  if (a.size * b.size > MAX_EXACT) return undefined;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function alternate(a: Info, b: Info): Info {
  if (a.exact && b.exact) {
    const exact = new Set([...a.exact, ...b.exact]);
    if (exact.size <= MAX_EXACT) return { exact, match: true };
  }
  return { match: or(asRequirement(a), asRequirement(b)) };
}

function asRequirement(i: Info): Requirement {
  if (!i.exact) return i.match;
  if (i.exact.has('')) return true;
  // Containing a string implies containing each of its substrings: of `ab` and `xaby`, `ab` suffices.
  const strings = [...i.exact].sort((x, y) => x.length - y.length);
  const kept: string[] = [];
  for (const s of strings) if (!kept.some((k) => s.includes(k))) kept.push(s);
  return kept.map((text): Requirement => ({ op: 'atom', text })).reduce(or);
}

function and(a: Requirement, b: Requirement): Requirement {
  if (a === true) return b;
  if (b === true) return a;
  return { op: 'and', parts: [...partsOf('and', a), ...partsOf('and', b)] };
}

function or(a: Requirement, b: Requirement): Requirement {
  if (a === true || b === true) return true;
  return { op: 'or', parts: [...partsOf('or', a), ...partsOf('or', b)] };
}

function partsOf(op: 'and' | 'or', r: Exclude<Requirement, true>): Requirement[] {
  return r.op === op ? (r as { parts: Requirement[] }).parts : [r];
}

/** Every atom's text in the requirement. */
export function atomsOf(r: Requirement, out: Set<string> = new Set()): Set<string> {
  if (r === true) return out;
  if (r.op === 'atom') out.add(r.text);
  else for (const p of r.parts) atomsOf(p, out);
  return out;
}
