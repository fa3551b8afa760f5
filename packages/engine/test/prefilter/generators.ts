/**
 * Random strings for the prefilter's differential tests: noise over the characters patterns care about, and
 * strings drawn from a parsed pattern's language (RE2 stays the judge of whether they match).
 */
import type { RegexNode } from '../../src/prefilter/regex-syntax';

export type Random = () => number;

/** Characters outside latin1 that RE2's `(?i)` folds onto latin1 letters (Kelvin, long s, Angstrom). */
const WIDE_FOLDS: Record<string, string> = { k: '\u212a', s: '\u017f', å: '\u212b' };

const PUNCT = ' \t\n\r\v\f!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function pick<T>(rnd: Random, xs: ArrayLike<T>): T {
  return xs[Math.floor(rnd() * xs.length)]!;
}

export function randomChar(rnd: Random): string {
  const r = rnd();
  if (r < 0.45) return pick(rnd, LETTERS);
  if (r < 0.85) return pick(rnd, PUNCT);
  if (r < 0.97) return String.fromCharCode(0x80 + Math.floor(rnd() * 0x80));
  return String.fromCharCode(Math.floor(rnd() * 0x20));
}

export function randomText(rnd: Random, max: number): string {
  let s = '';
  const n = Math.floor(rnd() * (max + 1));
  for (let i = 0; i < n; i++) s += randomChar(rnd);
  return s;
}

/** A string drawn from the pattern's language as the parser reads it, at most about `budget.left` characters. */
export function generate(node: RegexNode, rnd: Random, out: string[], budget: { left: number }): void {
  if (budget.left <= 0) return;
  switch (node.kind) {
    case 'char':
      out.push(String.fromCodePoint(node.code));
      budget.left--;
      return;
    case 'set': {
      const members: number[] = [];
      for (let c = 0; c < 256; c++) if (node.members[c]) members.push(c);
      if (members.length === 0 || (node.wide && rnd() < 0.1)) out.push(String.fromCodePoint(0x100 + Math.floor(rnd() * 0x200)));
      else out.push(String.fromCharCode(pick(rnd, members)));
      budget.left--;
      return;
    }
    case 'any':
      out.push(randomChar(rnd));
      budget.left--;
      return;
    case 'empty':
      return;
    case 'concat':
      for (const p of node.parts) generate(p, rnd, out, budget);
      return;
    case 'alternate':
      generate(pick(rnd, node.options), rnd, out, budget);
      return;
    case 'repeat': {
      const spread = Math.min(node.max - node.min, 3);
      const n = node.min + Math.floor(rnd() * (spread + 1));
      for (let i = 0; i < n; i++) generate(node.node, rnd, out, budget);
      return;
    }
  }
}

export function sample(node: RegexNode, rnd: Random, budget = 400): string {
  const out: string[] = [];
  generate(node, rnd, out, { left: budget });
  return out.join('');
}

/** Random upper/lower case per character (can leave latin1: ÿ -> Ÿ, µ -> Μ; such values must give null). */
export function mutateCase(s: string, rnd: Random): string {
  let out = '';
  for (const ch of s) out += rnd() < 0.5 ? ch.toUpperCase() : ch.toLowerCase();
  return out;
}

export function wideFolds(s: string): string {
  return s.replace(/[ksåKSÅ]/g, (c) => WIDE_FOLDS[c.toLowerCase()]!);
}
