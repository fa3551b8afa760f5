/**
 * Regular expressions for operators (`@rx`, `@rxGlobal`, `@verifyCC`...): RE2 first (linear time, byte
 * semantics on latin1 strings, flags `s` + `m` like ModSecurity v3's PCRE DOTALL|MULTILINE). A pattern RE2
 * cannot compile (lookarounds, backreferences) falls back to a JS RegExp translated from PCRE syntax, with a
 * load-time warning naming the construct; when `allowBacktrackingRegex` is false that is an error instead.
 */
import RE2 from 're2';
import { OperatorCompileError } from './errors';
import type { OperatorCompileContext } from './types';

export interface CompiledRegex {
  /** The leftmost match starting at or after `from` (default 0), or null. Never throws. */
  exec(input: string, from?: number): RegExpExecArray | null;
  /** Whether the pattern matches anywhere in `input` (no group extraction). Never throws. */
  test(input: string): boolean;
  /**
   * Visits every non-overlapping match from the start, in order, in one pass over the input (RE2 converts
   * the subject once instead of once per `exec`); stops reporting once `visit` returns true. Never throws.
   */
  scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void;
  /** Which engine runs the pattern. */
  readonly engine: 're2' | 'backtracking';
}

type RegexContext = Pick<OperatorCompileContext, 'warn' | 'options'>;

/**
 * Compiles `pattern` for `operatorName` (used in messages, e.g. `@rx`). Throws OperatorCompileError when
 * neither engine can take the pattern, or when only the backtracking engine can and it is not allowed.
 */
export function compileRegex(pattern: string, operatorName: string, ctx: RegexContext): CompiledRegex {
  let re2Error: string;
  try {
    const compiled = wrap(new RE2(withPcreSpaces(pattern), 'gsm'), 're2');
    const first = directMatch(pattern);
    return first === undefined ? compiled : answeredDirectly(compiled, first);
  } catch (e) {
    re2Error = e instanceof Error ? e.message : String(e);
  }
  const constructs = describePcreOnlyConstructs(pattern);
  const why = constructs.length > 0 ? constructs.join(', ') : `RE2 error: ${re2Error}`;
  if (!ctx.options.allowBacktrackingRegex) {
    throw new OperatorCompileError(
      'bad-argument',
      `${operatorName}: RE2 cannot compile this pattern (${why}) and the backtracking regex fallback is disabled`,
    );
  }
  const translated = translatePcreToJs(pattern, operatorName);
  let js: RegExp;
  try {
    js = new RegExp(translated.source, `gs${translated.caseless ? 'i' : ''}`);
  } catch (e) {
    throw new OperatorCompileError(
      'bad-argument',
      `${operatorName}: invalid regular expression (${re2Error}; ${e instanceof Error ? e.message : String(e)})`,
    );
  }
  ctx.warn(
    `${operatorName}: pattern needs the backtracking regex engine (${why}); it is not protected against ` +
      'catastrophic backtracking',
  );
  return wrap(js, 'backtracking');
}

/** Compiles with RE2 only, returning undefined on failure (run-time patterns built from macros). */
export function tryCompileRe2(pattern: string): CompiledRegex | undefined {
  try {
    return wrap(new RE2(withPcreSpaces(pattern), 'gsm'), 're2');
  } catch {
    return undefined;
  }
}

/**
 * PCRE (8.34+, and PCRE2) counts VT (0x0B) as `\s`; RE2 does not. Rewrites `\s` to include it, and `\S`
 * outside character classes to exclude it. (`\S` inside a class keeps RE2's meaning: a rare pattern.)
 */
export function withPcreSpaces(pattern: string): string {
  if (!/\\[sS]/.test(pattern)) return pattern;
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === 'Q') {
        // \Q...\E is literal text: copy it untouched.
        const end = pattern.indexOf('\\E', i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
      } else if (n === 's') {
        out += inClass ? '\\s\\x0b' : '[\\s\\x0b]';
        i++;
      } else if (n === 'S' && !inClass) {
        out += '[^\\s\\x0b]';
        i++;
      } else {
        out += c + (n ?? '');
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) {
          out += pattern.slice(i, end + 2);
          i = end + 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A `]` right after `[` or `[^` is a literal member, not the end of the class.
      if (pattern[i + 1] === '^') out += pattern[++i] as string;
      if (pattern[i + 1] === ']') out += pattern[++i] as string;
      continue;
    }
    out += c;
  }
  return out;
}

/** `^.*$`, `.*`, `^.*`, `.*$`: under DOTALL these match every input, whole, from its start, with no group. */
const MATCHES_WHOLE_INPUT = /^\^?\.\*\$?$/;

/**
 * For a pattern whose first match needs no regex engine, that match (null: none); undefined for the others.
 * `^.*$` and its kin match every input whole (CRS 920450 captures each header name with it); `.` matches the
 * first character of any non-empty input (CRS 921170 on argument names).
 */
function directMatch(pattern: string): ((input: string) => string | null) | undefined {
  if (MATCHES_WHOLE_INPUT.test(pattern)) return (input) => input;
  if (pattern === '.') return (input) => (input.length > 0 ? input[0]! : null);
  return undefined;
}

/** Whether compileRegex answers the pattern without RE2 (a regex set would only add work for it). */
export function answeredWithoutRe2(pattern: string): boolean {
  return directMatch(pattern) !== undefined;
}

/**
 * test() and a match from the start answered by `first`, without RE2, whose call costs microseconds through
 * the binding; later matches of a global scan are left to RE2.
 */
function answeredDirectly(re2: CompiledRegex, first: (input: string) => string | null): CompiledRegex {
  return {
    engine: re2.engine,
    test: (input) => first(input) !== null,
    exec(input, from = 0) {
      if (from !== 0) return re2.exec(input, from);
      const match = first(input);
      return match === null ? null : (Object.assign([match], { index: 0, input }) as unknown as RegExpExecArray);
    },
    scan: (input, visit) => re2.scan(input, visit),
  };
}

function wrap(re: RegExp, engine: 're2' | 'backtracking'): CompiledRegex {
  return {
    engine,
    exec(input: string, from = 0): RegExpExecArray | null {
      if (from > input.length) return null;
      re.lastIndex = from;
      try {
        return re.exec(input);
      } catch {
        // A backtracking engine can fail on stack exhaustion; the matcher must not throw.
        return null;
      }
    },
    test(input: string): boolean {
      re.lastIndex = 0;
      try {
        return re.test(input);
      } catch {
        return false;
      }
    },
    scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void {
      let done = false;
      try {
        input.replace(re, (...args: unknown[]) => {
          if (done) return '';
          // replace() passes (match, ...groups, offset, input[, namedGroups]).
          const named = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
          const offsetAt = args.length - (named ? 3 : 2);
          const groups = args.slice(0, offsetAt).map((g) => (typeof g === 'string' ? g : undefined));
          const match = Object.assign(groups, { index: args[offsetAt] as number, input }) as unknown as RegExpExecArray;
          if (visit(match) === true) done = true;
          return '';
        });
      } catch {
        // A backtracking engine can fail on stack exhaustion; the matcher must not throw.
      }
    },
  };
}

/** Names the PCRE features RE2 does not have, for messages. */
export function describePcreOnlyConstructs(pattern: string): string[] {
  const found = new Set<string>();
  if (/\(\?(?:=|!)/.test(pattern)) found.add('lookahead');
  if (/\(\?<(?:=|!)/.test(pattern)) found.add('lookbehind');
  if (/\\[1-9]|\\k[<{']|\(\?P=/.test(pattern)) found.add('backreference');
  if (/\(\?>/.test(pattern)) found.add('atomic group');
  if (/(?:[*+?}])\+/.test(pattern.replace(/\\./g, ''))) found.add('possessive quantifier');
  if (/\(\?\(/.test(pattern)) found.add('conditional group');
  if (/\(\?(?:R|[0-9]|[+-][0-9]|&)/.test(pattern)) found.add('recursion');
  if (/\\[GKR]/.test(pattern)) found.add('\\G, \\K or \\R escape');
  return [...found];
}

const SPACE_CHARS = '\\t\\n\\x0b\\f\\r ';
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: SPACE_CHARS,
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  word: '\\w',
  punct: '!-\\/:-@\\[-`{-~',
  cntrl: '\\x00-\\x1f\\x7f',
  print: '\\x20-\\x7e',
  graph: '\\x21-\\x7e',
};

export interface TranslatedRegex {
  source: string;
  /** A leading `(?i)` became the `i` flag. */
  caseless: boolean;
}

/**
 * Translates PCRE syntax to an equivalent JS RegExp source for flag `s` (PCRE's MULTILINE `^` and `$` are
 * spelled out as LF-only lookarounds, so no `m` flag is needed). Constructs JS
 * cannot express (inline flags after the start, atomic groups, possessive quantifiers, recursion...) are
 * refused with an OperatorCompileError naming them.
 */
export function translatePcreToJs(pattern: string, operatorName = '@rx'): TranslatedRegex {
  const refuse = (what: string): never => {
    throw new OperatorCompileError(
      'bad-argument',
      `${operatorName}: RE2 cannot compile this pattern and the backtracking fallback cannot express ${what}`,
    );
  };
  let i = 0;
  let caseless = false;
  const lead = /^\(\?([imsx]+)\)/.exec(pattern);
  if (lead) {
    const flags = lead[1] ?? '';
    if (flags.includes('x')) refuse('the extended-syntax flag (?x)');
    caseless = flags.includes('i');
    i = lead[0].length;
  }
  let out = '';
  let inClass = false;
  let classStart = false;
  let afterQuantifier = false;
  while (i < pattern.length) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) refuse('a trailing backslash');
      const res = translateEscape(pattern, i, inClass, refuse);
      out += res.text;
      i = res.next;
      classStart = false;
      afterQuantifier = false;
      continue;
    }
    if (inClass) {
      if (c === ']' && !classStart) {
        inClass = false;
        out += ']';
        i++;
        continue;
      }
      if (c === ']' && classStart) {
        out += '\\]';
        i++;
        classStart = false;
        continue;
      }
      if (c === '[' && pattern[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
        if (m) {
          const body = POSIX_CLASSES[m[2] ?? ''];
          if (body === undefined || m[1] === '^') refuse(`the POSIX class ${m[0]}`);
          out += body;
          i += m[0].length;
          classStart = false;
          continue;
        }
      }
      if (c === '^' && classStart && out.endsWith('[')) {
        out += '^';
        i++;
        continue;
      }
      out += c === '[' ? '\\[' : c;
      classStart = false;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      classStart = true;
      out += '[';
      i++;
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const rest = pattern.slice(i + 2);
      if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        const len = rest.startsWith('<') ? 4 : 3;
        out += pattern.slice(i, i + len);
        i += len;
      } else if (/^P?<[A-Za-z_][A-Za-z0-9_]*>/.test(rest)) {
        const m = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest) as RegExpExecArray;
        out += `(?<${m[1]}>`;
        i += 2 + m[0].length;
      } else if (/^'[A-Za-z_][A-Za-z0-9_]*'/.test(rest)) {
        const m = /^'([A-Za-z_][A-Za-z0-9_]*)'/.exec(rest) as RegExpExecArray;
        out += `(?<${m[1]}>`;
        i += 2 + m[0].length;
      } else if (/^P=[A-Za-z_][A-Za-z0-9_]*\)/.test(rest)) {
        const m = /^P=([A-Za-z_][A-Za-z0-9_]*)\)/.exec(rest) as RegExpExecArray;
        out += `\\k<${m[1]}>`;
        i += 2 + m[0].length;
      } else if (rest.startsWith('#')) {
        const end = pattern.indexOf(')', i);
        if (end < 0) refuse('an unterminated comment group');
        i = end + 1;
      } else if (rest.startsWith('>')) {
        refuse('atomic groups (?>...)');
      } else if (/^[a-zA-Z-]*[:)]/.test(rest)) {
        refuse(`inline flags after the start of the pattern (${/^\(\?[a-zA-Z-]*[:)]/.exec(pattern.slice(i))?.[0] ?? '(?'})`);
      } else {
        refuse(`the group syntax ${pattern.slice(i, i + 4)}`);
      }
      afterQuantifier = false;
      continue;
    }
    if (c === '+' && afterQuantifier) refuse('possessive quantifiers');
    if (c === '{') {
      const m = /^\{\d+(?:,\d*)?\}/.exec(pattern.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        afterQuantifier = true;
        if (pattern[i] === '?') {
          out += '?';
          i++;
          afterQuantifier = false;
        }
        continue;
      }
      out += '\\{';
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '}') {
      out += '\\}';
      i++;
      afterQuantifier = false;
      continue;
    }
    if (c === '^' || c === '$') {
      // PCRE MULTILINE knows only LF as a line end; JS `m` would also break lines at CR.
      out += c === '^' ? '(?<![^\\n])' : '(?![^\\n])';
      i++;
      afterQuantifier = false;
      continue;
    }
    out += c;
    i++;
    if (c === '*' || c === '+' || c === '?') {
      // `a*?` is lazy (fine); `a*+` is possessive (refused above on the next round).
      if (afterQuantifier && c === '?') afterQuantifier = false;
      else afterQuantifier = true;
    } else {
      afterQuantifier = false;
    }
  }
  if (inClass) refuse('an unterminated character class');
  return { source: out, caseless };
}

function translateEscape(
  pattern: string,
  i: number,
  inClass: boolean,
  refuse: (what: string) => never,
): { text: string; next: number } {
  const n = pattern[i + 1] as string;
  switch (n) {
    case 's':
      return { text: inClass ? SPACE_CHARS : `[${SPACE_CHARS}]`, next: i + 2 };
    case 'S':
      return { text: inClass ? '\\S' : `[^${SPACE_CHARS}]`, next: i + 2 };
    case 'h':
      return { text: inClass ? ' \\t\\xa0' : '[ \\t\\xa0]', next: i + 2 };
    case 'e':
      return { text: '\\x1b', next: i + 2 };
    case 'a':
      return { text: '\\x07', next: i + 2 };
    case 'A':
      if (inClass) refuse('\\A inside a character class');
      return { text: '(?<![\\s\\S])', next: i + 2 };
    case 'z':
      if (inClass) refuse('\\z inside a character class');
      return { text: '(?![\\s\\S])', next: i + 2 };
    case 'Z':
      if (inClass) refuse('\\Z inside a character class');
      return { text: '(?=\\n?(?![\\s\\S]))', next: i + 2 };
    case 'Q': {
      const end = pattern.indexOf('\\E', i + 2);
      const literal = pattern.slice(i + 2, end < 0 ? pattern.length : end);
      return { text: literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'), next: end < 0 ? pattern.length : end + 2 };
    }
    case 'E':
      return { text: '', next: i + 2 };
    case 'x': {
      const m = /^\\x\{([0-9A-Fa-f]+)\}/.exec(pattern.slice(i));
      if (m) {
        const code = parseInt(m[1] as string, 16);
        if (code > 0xff) refuse(`the code point ${m[0]} (inputs are bytes)`);
        return { text: `\\x${code.toString(16).padStart(2, '0')}`, next: i + m[0].length };
      }
      return { text: '\\x', next: i + 2 };
    }
    case '0': {
      const m = /^\\0([0-7]{0,2})/.exec(pattern.slice(i)) as RegExpExecArray;
      const code = parseInt(`0${m[1] ?? ''}`, 8);
      return { text: `\\x${code.toString(16).padStart(2, '0')}`, next: i + m[0].length };
    }
    case 'G':
    case 'K':
    case 'R':
    case 'X':
    case 'C':
      return refuse(`the escape \\${n}`);
    case 'p':
    case 'P':
      return refuse('Unicode property escapes (inputs are bytes)');
    default:
      return { text: `\\${n}`, next: i + 2 };
  }
}
