import { catalog } from '@rampart/seclang';
import type { Check } from '../types';

/** Non-ASCII latin1 letters: RE2 folds their case under (?i) (Unicode), PCRE without UTF mode does not. */
const isLatin1Letter = (c: number) => (c >= 0xc0 && c <= 0xfe && c !== 0xd7 && c !== 0xf7) || c === 0xb5 || c === 0xff;

/**
 * Constructs that RE2 (the engine's regex engine) compiles but reads differently from PCRE (ModSecurity's,
 * compiled without UTF mode, on bytes): the rule matches other input under Rampart than under ModSecurity.
 * `\s` is not among them: the engine adds PCRE's vertical tab to it.
 */
export function dialectDifferences(pattern: string): string[] {
  const found: string[] = [];
  const note = (s: string) => {
    if (!found.includes(s)) found.push(s);
  };
  let caseless = false;
  /** The flag as it was outside each open group. */
  const groups: boolean[] = [];
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    const ch = pattern[i] as string;
    if (ch === '\\') {
      const n = pattern[i + 1];
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        if (caseless && [...literal].some((x) => isLatin1Letter(x.charCodeAt(0)))) note(caselessNote(literal));
        i = end < 0 ? pattern.length : end + 1;
        continue;
      }
      if (n === 'v') note('\\v: RE2 matches the vertical tab (0x0B) alone, PCRE any vertical space (LF, VT, FF, CR, 0x85)');
      if (n === 'x' && pattern[i + 2] === '{') {
        const m = /^\{([0-9a-fA-F]+)\}/.exec(pattern.slice(i + 2));
        if (m !== null && parseInt(m[1] as string, 16) > 0xff) {
          note(`\\x{${m[1]}}: a code point above 0xFF, which PCRE (byte mode) refuses and RE2 accepts but can never match in a byte string`);
        }
      }
      if (n === 'u') note('\\u: RE2 (through node-re2) reads \\uXXXX as a character, PCRE refuses the escape');
      i++;
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      else if (caseless && isLatin1Letter(c)) note(caselessNote(ch));
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (ch === '(') {
      const flags = /^\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(pattern.slice(i));
      const set = flags === null ? undefined : (flags[1] ?? '').includes('i') ? true : (flags[2] ?? '').includes('i') ? false : undefined;
      if (flags !== null && flags[3] === ')') {
        // (?i) sets the flag for the rest of the enclosing group.
        if (set !== undefined) caseless = set;
        i += (flags[0] as string).length - 1;
        continue;
      }
      groups.push(caseless);
      if (set !== undefined) caseless = set;
      continue;
    }
    if (ch === ')') {
      caseless = groups.pop() ?? caseless;
      continue;
    }
    if (ch === '{' && /^\{,[0-9]+\}/.test(pattern.slice(i))) {
      note('{,n}: RE2 (and PCRE2 before 10.43) read it as literal text, PCRE2 10.43 and later as the quantifier {0,n}');
      continue;
    }
    const range = ch === '{' ? /^\{([0-9]+),([0-9]+)\}/.exec(pattern.slice(i)) : null;
    if (range !== null && Number(range[1]) > Number(range[2])) {
      note(`{${range[1]},${range[2]}}: PCRE and RE2 refuse a quantifier whose numbers are out of order (ModSecurity does not load the rule); the engine's backtracking fallback takes it`);
      continue;
    }
    if (caseless && isLatin1Letter(c)) note(caselessNote(ch));
  }
  return found;
}

function caselessNote(text: string): string {
  const letter = [...text].find((x) => isLatin1Letter(x.charCodeAt(0))) ?? text;
  const hex = letter.charCodeAt(0).toString(16).toUpperCase();
  return `(?i) with the non-ASCII byte 0x${hex} ('${letter}'): RE2 also matches its other case (Unicode folding), PCRE (bytes, C locale) only the byte itself`;
}

export const regexDialect: Check = {
  name: 'regex-dialect',
  meta: {
    severity: 'warning',
    docs:
      'A regex that RE2 (the engine) and PCRE (ModSecurity) compile but read differently: `\\v`, `{,n}`, ' +
      '`\\x{100}` and above, `\\u`, `(?i)` with non-ASCII letters, `{3,2}` (PCRE refuses it). The rule matches other input than under ModSecurity.',
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const op = rule.operator;
      if (catalog.findOperator(op.name)?.regex !== true) continue;
      for (const d of dialectDifferences(op.argument)) ctx.report(op.loc, `@${op.rawName}: ${d}`);
    }
  },
};
