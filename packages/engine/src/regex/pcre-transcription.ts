/**
 * Rewrites a PCRE pattern (as libmodsecurity compiles it: no UTF, DOTALL and MULTILINE on, C-locale character
 * tables) into two texts:
 *
 * - `oniguruma`: the same pattern in Oniguruma syntax, for oniguruma-to-es, which turns it into a native
 *   RegExp and emulates what JavaScript lacks (atomic groups, possessive quantifiers, `(?i:...)` mid-pattern,
 *   `\Z`, subroutines). Where the two dialects read the same text differently, the text is spelled so that
 *   Oniguruma reads it as PCRE does: `\w \d \s \b` and POSIX classes are ASCII in PCRE (Unicode in Oniguruma),
 *   `\h` is horizontal space in PCRE (a hex digit in Oniguruma), `\xHH` above 0x7F is a byte in PCRE (half of a
 *   UTF-8 sequence in Oniguruma), `[` and `&&` inside a class are literal in PCRE (a nested class and an
 *   intersection in Oniguruma), `X{n,m}+` is possessive in PCRE (a repeated repeat in Oniguruma), `(?s)` is
 *   Oniguruma's `(?m)`.
 * - `re2Superset`: an RE2 pattern that matches every input the PCRE pattern matches (lookarounds dropped,
 *   backreferences as `.*`, atomic and possessive as ordinary groups and quantifiers). When it does not match,
 *   neither does the pattern, so most values never reach the backtracking engine. Undefined when no such
 *   pattern can be written (recursion, `\G`).
 *
 * Throws PcreSyntaxError for what neither can express, naming the construct.
 */

export class PcreSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PcreSyntaxError';
  }
}

export interface PcreTranscription {
  readonly oniguruma: string;
  readonly re2Superset: string | undefined;
  /** The PCRE-only constructs found (for the load warning): `possessive quantifier`, `lookahead`, ... */
  readonly constructs: readonly string[];
}

/** PCRE's `\s` without UCP: HT, LF, VT, FF, CR, space. */
const SPACE = '\\t\\n\\x{0B}\\f\\r ';
const WORD = 'A-Za-z0-9_';
const DIGIT = '0-9';
/** `\h`: the horizontal spaces that fit in a byte. */
const HSPACE = '\\t \\x{A0}';
/** `\v`: the vertical spaces that fit in a byte. */
const VSPACE = '\\n\\x{0B}\\f\\r\\x{85}';

const POSIX: Record<string, string> = {
  alpha: 'a-zA-Z',
  digit: '0-9',
  alnum: 'a-zA-Z0-9',
  upper: 'A-Z',
  lower: 'a-z',
  space: SPACE,
  blank: ' \\t',
  xdigit: '0-9A-Fa-f',
  word: WORD,
  punct: '!-\\/:-@\\[-`{-~',
  cntrl: '\\x{00}-\\x{1F}\\x{7F}',
  print: '\\x{20}-\\x{7E}',
  graph: '\\x{21}-\\x{7E}',
  ascii: '\\x{00}-\\x{7F}',
};

/** Shorthand classes: the members (for use inside a class) and whether the shorthand is negated. */
const SHORTHANDS: Record<string, { members: string; negated: boolean }> = {
  s: { members: SPACE, negated: false },
  S: { members: SPACE, negated: true },
  w: { members: WORD, negated: false },
  W: { members: WORD, negated: true },
  d: { members: DIGIT, negated: false },
  D: { members: DIGIT, negated: true },
  h: { members: HSPACE, negated: false },
  H: { members: HSPACE, negated: true },
  v: { members: VSPACE, negated: false },
  V: { members: VSPACE, negated: true },
};

function byte(code: number): string {
  return `\\x{${code.toString(16).toUpperCase().padStart(2, '0')}}`;
}

/** Text of one literal character, escaped when it is a metacharacter in either dialect. */
function literal(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return byte(code);
  return /[\\^$.*+?()[\]{}|\-&#/]/.test(ch) ? `\\${ch}` : ch;
}

interface Group {
  /** Where the group starts in each output. */
  onigStart: number;
  supStart: number;
  /** A lookaround: dropped from the RE2 superset. */
  lookaround: boolean;
  /** Flags in force before the group, restored at its end. */
  multiline: boolean;
  extended: boolean;
}

function countCaptures(pattern: string): number {
  let n = 0;
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      if (pattern[i + 1] === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        i = end < 0 ? pattern.length : end + 1;
      } else i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c !== '(') continue;
    if (pattern[i + 1] !== '?') n++;
    else if (/^\(\?(?:P?<[A-Za-z_]|')/.test(pattern.slice(i, i + 5))) n++;
  }
  return n;
}

/** Transcribes `pattern`; see the module comment. */
export function transcribePcre(pattern: string): PcreTranscription {
  const constructs = new Set<string>();
  const captures = countCaptures(pattern);
  let onig = '';
  let sup = '';
  let supOk = true;
  let multiline = true;
  let extended = false;
  const groups: Group[] = [];
  /** Where the last quantifiable atom starts in each output (-1: none). */
  let atomOnig = -1;
  let atomSup = -1;
  let i = 0;

  const emit = (o: string, s: string = o): void => {
    onig += o;
    sup += s;
  };
  const atom = (o: string, s: string = o): void => {
    atomOnig = onig.length;
    atomSup = sup.length;
    emit(o, s);
  };

  // A leading `(?flags)` applies to the whole pattern; it is handled like any other inline flag below.
  while (i < pattern.length) {
    const c = pattern[i] as string;

    if (extended && /\s/.test(c)) {
      i++;
      continue;
    }
    if (extended && c === '#') {
      const end = pattern.indexOf('\n', i);
      i = end < 0 ? pattern.length : end + 1;
      continue;
    }

    if (c === '\\' && pattern[i + 1] === 'Q') {
      // \Q...\E: literal text; a quantifier after it applies to its last character, as in PCRE.
      const end = pattern.indexOf('\\E', i + 2);
      for (const ch of pattern.slice(i + 2, end < 0 ? pattern.length : end)) atom(literal(ch));
      i = end < 0 ? pattern.length : end + 2;
      continue;
    }
    if (c === '\\') {
      const r = escapeOutsideClass(pattern, i, captures, constructs);
      if (r.kind === 'atom') atom(r.onig, r.sup);
      else emit(r.onig, r.sup);
      if (r.sup === undefined) supOk = false;
      if (r.kind !== 'atom') {
        atomOnig = -1;
        atomSup = -1;
      }
      i = r.next;
      continue;
    }

    if (c === '[') {
      const r = characterClass(pattern, i);
      atom(r.onig, r.sup);
      i = r.next;
      continue;
    }

    if (c === '(') {
      const r = openGroup(pattern, i, captures, constructs);
      i = r.next;
      if (r.kind === 'comment') continue;
      if (r.kind === 'flags') {
        // `(?i)`: Oniguruma scopes it to the enclosing group as PCRE does.
        if (r.multiline !== undefined) multiline = r.multiline;
        if (r.extended !== undefined) extended = r.extended;
        emit(r.onig, r.sup);
        atomOnig = -1;
        atomSup = -1;
        continue;
      }
      if (r.kind === 'reference') {
        atom(r.onig, r.sup);
        if (r.sup === undefined) supOk = false;
        continue;
      }
      groups.push({ onigStart: onig.length, supStart: sup.length, lookaround: r.lookaround, multiline, extended });
      if (r.multiline !== undefined) multiline = r.multiline;
      if (r.extended !== undefined) extended = r.extended;
      emit(r.onig, r.sup);
      atomOnig = -1;
      atomSup = -1;
      continue;
    }

    if (c === ')') {
      const g = groups.pop();
      if (g === undefined) throw new PcreSyntaxError('unmatched closing parenthesis');
      multiline = g.multiline;
      extended = g.extended;
      onig += ')';
      if (g.lookaround) sup = `${sup.slice(0, g.supStart)}(?:)`;
      else sup += ')';
      atomOnig = g.onigStart;
      atomSup = g.supStart;
      i++;
      continue;
    }

    if (c === '*' || c === '+' || c === '?' || c === '{') {
      const q = quantifier(pattern, i);
      if (q === undefined) {
        // `{` that does not start a quantifier is a literal in PCRE (Oniguruma would read `{,n}` as one).
        atom('\\{');
        i++;
        continue;
      }
      if (atomOnig < 0) throw new PcreSyntaxError(`quantifier ${q.text} does not follow a repeatable item`);
      i = q.next;
      if (q.mode === 'possessive') {
        constructs.add('possessive quantifier');
        if (q.text.startsWith('{')) {
          // Oniguruma reads `X{n,m}+` as `(?:X{n,m})+`: spell the possessive interval as an atomic group.
          onig = `${onig.slice(0, atomOnig)}(?>${onig.slice(atomOnig)}${q.text})`;
        } else onig += `${q.text}+`;
        sup += q.text;
      } else {
        const lazy = q.mode === 'lazy' ? '?' : '';
        emit(q.text + lazy);
      }
      atomOnig = -1;
      atomSup = -1;
      continue;
    }

    if (c === '^' || c === '$') {
      // Oniguruma's ^ and $ are always line anchors, as PCRE's are under MULTILINE (which ModSecurity sets).
      if (multiline) emit(c);
      else emit(c === '^' ? '\\A' : '\\Z', c === '^' ? '\\A' : '(?:\\n?\\z)');
      atomOnig = -1;
      atomSup = -1;
      i++;
      continue;
    }

    if (c === '.' || c === '|') {
      if (c === '.') atom('.');
      else {
        emit('|');
        atomOnig = -1;
        atomSup = -1;
      }
      i++;
      continue;
    }

    atom(literal(c));
    i++;
  }
  if (groups.length > 0) throw new PcreSyntaxError('missing closing parenthesis');
  return { oniguruma: onig, re2Superset: supOk ? sup : undefined, constructs: [...constructs] };
}

interface Quantifier {
  text: string;
  mode: 'greedy' | 'lazy' | 'possessive';
  next: number;
}

function quantifier(pattern: string, i: number): Quantifier | undefined {
  let text: string;
  const c = pattern[i];
  if (c === '{') {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!m) return undefined;
    text = m[0];
  } else text = c as string;
  let next = i + text.length;
  let mode: Quantifier['mode'] = 'greedy';
  if (pattern[next] === '?') {
    mode = 'lazy';
    next++;
  } else if (pattern[next] === '+') {
    mode = 'possessive';
    next++;
  }
  return { text, mode, next };
}

interface EscapeResult {
  kind: 'atom' | 'assertion';
  onig: string;
  /** Undefined: no RE2 superset can be written for it. */
  sup: string | undefined;
  next: number;
}

function escapeOutsideClass(pattern: string, i: number, captures: number, constructs: Set<string>): EscapeResult {
  const n = pattern[i + 1];
  if (n === undefined) throw new PcreSyntaxError('a trailing backslash');
  const shorthand = SHORTHANDS[n];
  if (shorthand !== undefined) {
    const cls = `[${shorthand.negated ? '^' : ''}${shorthand.members}]`;
    return { kind: 'atom', onig: cls, sup: cls, next: i + 2 };
  }
  switch (n) {
    case 'b':
    case 'B':
    case 'A':
    case 'z':
      return { kind: 'assertion', onig: `\\${n}`, sup: `\\${n}`, next: i + 2 };
    case 'Z':
      return { kind: 'assertion', onig: '\\Z', sup: '(?:\\n?\\z)', next: i + 2 };
    case 'G':
      constructs.add('\\G');
      return { kind: 'assertion', onig: '\\G', sup: undefined, next: i + 2 };
    case 'K':
      constructs.add('\\K');
      // \K only moves the start of the reported match: the superset ignores it.
      return { kind: 'assertion', onig: '\\K', sup: '', next: i + 2 };
    case 'R':
      return { kind: 'atom', onig: `(?>\\r\\n|[${VSPACE}])`, sup: `(?:\\r\\n|[${VSPACE}])`, next: i + 2 };
    case 'N':
      return { kind: 'atom', onig: '[^\\n]', sup: '[^\\n]', next: i + 2 };
    case 'E':
      return { kind: 'assertion', onig: '', sup: '', next: i + 2 };
    case 'g':
    case 'k': {
      const m = /^\\(?:g\{(-?\d+)\}|g(-?\d+)|g\{([A-Za-z_]\w*)\}|k<([A-Za-z_]\w*)>|k'([A-Za-z_]\w*)'|k\{([A-Za-z_]\w*)\})/.exec(pattern.slice(i));
      if (!m) throw new PcreSyntaxError(`the escape ${pattern.slice(i, i + 4)}`);
      constructs.add('backreference');
      const ref = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '';
      return { kind: 'atom', onig: `\\k<${ref}>`, sup: '(?s:.*)', next: i + m[0].length };
    }
    case 'p':
    case 'P':
    case 'X':
    case 'C':
      throw new PcreSyntaxError(`the escape \\${n} (ModSecurity matches bytes, not Unicode characters)`);
    default:
      break;
  }
  if (n >= '1' && n <= '9') {
    const digits = /^\d+/.exec(pattern.slice(i + 1))![0];
    // PCRE: \1-\9 are always backreferences; \10 and beyond only when that many groups exist, else octal.
    if (digits.length === 1 || Number(digits) <= captures) {
      constructs.add('backreference');
      return { kind: 'atom', onig: `\\k<${Number(digits)}>`, sup: '(?s:.*)', next: i + 1 + digits.length };
    }
  }
  const ch = characterEscape(pattern, i);
  if (ch !== undefined) return { kind: 'atom', onig: ch.text, sup: ch.text, next: ch.next };
  if (/[A-Za-z0-9]/.test(n)) throw new PcreSyntaxError(`the unrecognised escape \\${n}`);
  return { kind: 'atom', onig: literal(n), sup: literal(n), next: i + 2 };
}

/** Escapes that stand for one byte (`\xHH`, `\x{H}`, octal, `\cX`, `\t`...), as `\x{HH}`; undefined otherwise. */
function characterEscape(pattern: string, i: number): { text: string; next: number } | undefined {
  const n = pattern[i + 1] as string;
  const simple: Record<string, number> = { a: 7, e: 0x1b, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09 };
  if (simple[n] !== undefined) return { text: byte(simple[n]), next: i + 2 };
  const rest = pattern.slice(i);
  let m: RegExpExecArray | null;
  if ((m = /^\\x\{([0-9A-Fa-f]+)\}/.exec(rest)) || (m = /^\\x([0-9A-Fa-f]{0,2})/.exec(rest))) {
    const code = m[1] === '' ? 0 : parseInt(m[1] as string, 16);
    if (code > 0xff) throw new PcreSyntaxError(`the code point ${m[0]} (ModSecurity matches bytes: at most \\xFF)`);
    return { text: byte(code), next: i + m[0].length };
  }
  if ((m = /^\\o\{([0-7]+)\}/.exec(rest)) || (m = /^\\(0[0-7]{0,2})/.exec(rest)) || (m = /^\\([1-7][0-7]{1,2})/.exec(rest))) {
    const code = parseInt(m[1] as string, 8);
    if (code > 0xff) throw new PcreSyntaxError(`the octal escape ${m[0]} (more than a byte)`);
    return { text: byte(code), next: i + m[0].length };
  }
  if ((m = /^\\c([\x20-\x7e])/.exec(rest))) {
    return { text: byte((m[1] as string).toUpperCase().charCodeAt(0) ^ 0x40), next: i + 3 };
  }
  return undefined;
}

interface ClassResult {
  onig: string;
  sup: string;
  next: number;
}

/** A bracket expression `[...]` from `i`; members spelled so that both dialects read PCRE's meaning. */
function characterClass(pattern: string, start: number): ClassResult {
  let i = start + 1;
  let onig = '[';
  let sup = '[';
  if (pattern[i] === '^') {
    onig += '^';
    sup += '^';
    i++;
  }
  // A `]` first is a member.
  let first = true;
  /** The previous member was a set (`\w`, `[:alpha:]`): a `-` after it is a literal. */
  let afterSet = false;
  for (;;) {
    const c = pattern[i];
    if (c === undefined) throw new PcreSyntaxError('an unterminated character class');
    if (c === ']' && !first) {
      i++;
      break;
    }
    first = false;
    if (c === '[') {
      const m = /^\[:(\^?)([a-z]+):\]/.exec(pattern.slice(i));
      if (m) {
        const members = POSIX[m[2] as string];
        if (members === undefined) throw new PcreSyntaxError(`the POSIX class ${m[0]}`);
        onig += m[1] === '^' ? `[^${members}]` : members;
        sup += m[1] === '^' ? m[0] : members;
        i += m[0].length;
        afterSet = true;
        continue;
      }
      onig += '\\[';
      sup += '\\[';
      i++;
      afterSet = false;
      continue;
    }
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new PcreSyntaxError('a trailing backslash');
      const shorthand = SHORTHANDS[n];
      if (shorthand !== undefined) {
        if (onig.endsWith('-') && !onig.endsWith('\\-')) {
          onig = `${onig.slice(0, -1)}\\-`;
          sup = `${sup.slice(0, -1)}\\-`;
        }
        const set = shorthand.negated ? `[^${shorthand.members}]` : shorthand.members;
        onig += set;
        // RE2 has no nested classes: its own \S \W \D hold at least PCRE's members (a superset is enough).
        sup += shorthand.negated ? (n === 'S' ? '\\S' : n === 'W' ? '\\W' : n === 'D' ? '\\D' : '\\x{00}-\\x{FF}') : shorthand.members;
        i += 2;
        afterSet = true;
        continue;
      }
      if (n === 'b') {
        onig += byte(8);
        sup += byte(8);
        i += 2;
        afterSet = false;
        continue;
      }
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const text = pattern.slice(i + 2, end < 0 ? pattern.length : end);
        const out = [...text].map(literal).join('');
        onig += out;
        sup += out;
        i = end < 0 ? pattern.length : end + 2;
        afterSet = false;
        continue;
      }
      if (n === 'E') {
        i += 2;
        continue;
      }
      const ch = characterEscape(pattern, i);
      if (ch !== undefined) {
        onig += ch.text;
        sup += ch.text;
        i = ch.next;
        afterSet = false;
        continue;
      }
      if (/[A-Za-z0-9]/.test(n)) throw new PcreSyntaxError(`the escape \\${n} inside a character class`);
      onig += literal(n);
      sup += literal(n);
      i += 2;
      afterSet = false;
      continue;
    }
    if (c === '-') {
      const next = pattern[i + 1];
      const nextIsSet = next === '\\' && SHORTHANDS[pattern[i + 2] ?? ''] !== undefined;
      const nextIsPosix = next === '[' && /^\[:\^?[a-z]+:\]/.test(pattern.slice(i + 1));
      // A `-` first, last, or beside a set is a literal; elsewhere it makes a range, as in PCRE.
      const isLiteral = afterSet || nextIsSet || nextIsPosix || next === ']' || onig.endsWith('[') || onig.endsWith('[^');
      onig += isLiteral ? '\\-' : '-';
      sup += isLiteral ? '\\-' : '-';
      i++;
      afterSet = false;
      continue;
    }
    onig += literal(c);
    sup += literal(c);
    i++;
    afterSet = false;
  }
  return { onig: `${onig}]`, sup: `${sup}]`, next: i };
}

interface GroupOpen {
  kind: 'group' | 'flags' | 'comment' | 'reference';
  onig: string;
  sup: string | undefined;
  next: number;
  lookaround: boolean;
  multiline?: boolean;
  extended?: boolean;
}

function openGroup(pattern: string, i: number, captures: number, constructs: Set<string>): GroupOpen {
  const group = (onig: string, len: number, sup: string = onig, lookaround = false): GroupOpen => ({ kind: 'group', onig, sup, next: i + len, lookaround });
  if (pattern[i + 1] !== '?') {
    if (pattern[i + 1] === '*') throw new PcreSyntaxError(`the verb ${/^\(\*[^)]*\)?/.exec(pattern.slice(i))?.[0] ?? '(*'}`);
    return group('(', 1);
  }
  const rest = pattern.slice(i + 2);
  if (rest.startsWith('#')) {
    const end = pattern.indexOf(')', i);
    if (end < 0) throw new PcreSyntaxError('an unterminated comment group');
    return { kind: 'comment', onig: '', sup: '', next: end + 1, lookaround: false };
  }
  if (rest.startsWith(':')) return group('(?:', 3);
  if (rest.startsWith('>')) {
    constructs.add('atomic group');
    return group('(?>', 3, '(?:');
  }
  if (rest.startsWith('=') || rest.startsWith('!')) {
    constructs.add('lookahead');
    return group(`(?${rest[0]}`, 3, '(?:', true);
  }
  if (rest.startsWith('<=') || rest.startsWith('<!')) {
    constructs.add('lookbehind');
    return group(`(?${rest.slice(0, 2)}`, 4, '(?:', true);
  }
  let m: RegExpExecArray | null;
  if ((m = /^(?:P?<([A-Za-z_]\w*)>|'([A-Za-z_]\w*)')/.exec(rest))) {
    const name = m[1] ?? m[2];
    return group(`(?<${name}>`, 2 + m[0].length, `(?P<${name}>`);
  }
  if ((m = /^P=([A-Za-z_]\w*)\)/.exec(rest))) {
    constructs.add('backreference');
    return { kind: 'reference', onig: `\\k<${m[1]}>`, sup: '(?s:.*)', next: i + 2 + m[0].length, lookaround: false };
  }
  if ((m = /^(?:P>([A-Za-z_]\w*)|&([A-Za-z_]\w*)|(R)|([+-]?\d+))\)/.exec(rest))) {
    constructs.add('recursion');
    const target = m[1] ?? m[2] ?? (m[3] !== undefined ? '0' : (m[4] as string));
    if (/^\d+$/.test(target) && Number(target) > captures) throw new PcreSyntaxError(`a call to group ${target}, which does not exist`);
    return { kind: 'reference', onig: `\\g<${target}>`, sup: undefined, next: i + 2 + m[0].length, lookaround: false };
  }
  if (rest.startsWith('|')) throw new PcreSyntaxError('branch reset groups (?|...)');
  if (rest.startsWith('(')) throw new PcreSyntaxError('conditional groups (?(...)...)');
  if ((m = /^([a-zA-Z]*)(?:-([a-zA-Z]*))?([:)])/.exec(rest))) {
    const on = m[1] ?? '';
    const off = m[2] ?? '';
    const bad = /[^imsx]/.exec(on + off);
    if (bad) throw new PcreSyntaxError(`the inline option (?${on}${off ? `-${off}` : ''}) (${bad[0]} is not supported)`);
    // Oniguruma's m is PCRE's s (dot matches newline); PCRE's m is tracked here for ^ and $; x is applied here.
    const map = (flags: string): string => (flags.includes('i') ? 'i' : '') + (flags.includes('s') ? 'm' : '');
    const onigOn = map(on);
    const onigOff = map(off);
    const onigFlags = onigOn + (onigOff !== '' ? `-${onigOff}` : '');
    const re2 = (flags: string): string => (flags.includes('i') ? 'i' : '') + (flags.includes('s') ? 's' : '') + (flags.includes('m') ? 'm' : '');
    const supFlags = re2(on) + (re2(off) !== '' ? `-${re2(off)}` : '');
    const multiline = on.includes('m') ? true : off.includes('m') ? false : undefined;
    const extended = on.includes('x') ? true : off.includes('x') ? false : undefined;
    const state = { ...(multiline !== undefined ? { multiline } : {}), ...(extended !== undefined ? { extended } : {}) };
    if (m[3] === ')') {
      return {
        kind: 'flags',
        onig: onigFlags === '' ? '' : `(?${onigFlags})`,
        sup: supFlags === '' ? '' : `(?${supFlags})`,
        next: i + 2 + m[0].length,
        lookaround: false,
        ...state,
      };
    }
    return {
      kind: 'group',
      onig: onigFlags === '' ? '(?:' : `(?${onigFlags}:`,
      sup: supFlags === '' ? '(?:' : `(?${supFlags}:`,
      next: i + 2 + m[0].length,
      lookaround: false,
      ...state,
    };
  }
  throw new PcreSyntaxError(`the group syntax ${pattern.slice(i, i + 4)}`);
}
