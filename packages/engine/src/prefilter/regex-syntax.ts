/**
 * A parser for the RE2 pattern syntax, just deep enough to tell which literal text a match must contain
 * (prefilter/requirements.ts). It only reads patterns RE2 has already compiled, and it refuses anything it
 * does not fully understand (throws UnsupportedSyntax): a refused pattern simply gets no prefilter. What it
 * accepts must mean exactly what RE2 means by it, because a wrong reading could hide a match.
 *
 * Characters are code points; sets of characters are tracked only over 0x00-0xFF (the engine's values are
 * latin1 strings). A set that can match anything above 0xFF is `wide`.
 */

export type RegexNode =
  | { kind: 'char'; code: number }
  | { kind: 'set'; members: Uint8Array; wide: boolean }
  | { kind: 'any' }
  | { kind: 'empty' }
  | { kind: 'concat'; parts: RegexNode[] }
  | { kind: 'alternate'; options: RegexNode[] }
  | { kind: 'repeat'; node: RegexNode; min: number; max: number };

export class UnsupportedSyntax extends Error {}

/** RE2's own limit on counted repetition. */
const MAX_REPEAT = 1000;

export function parseRegex(pattern: string): RegexNode {
  const parser = new Parser(pattern);
  const node = parser.alternation();
  if (parser.pos !== pattern.length) throw new UnsupportedSyntax(`unexpected ')' at ${parser.pos}`);
  return node;
}

function setOf(codes: Iterable<number>): RegexNode {
  const members = new Uint8Array(256);
  for (const c of codes) members[c] = 1;
  return { kind: 'set', members, wide: false };
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let c = from; c <= to; c++) out.push(c);
  return out;
}

const DIGITS = range(0x30, 0x39);
const WORD = [...DIGITS, ...range(0x41, 0x5a), ...range(0x61, 0x7a), 0x5f];
/** RE2's (Perl's) `\s`: tab, newline, form feed, carriage return, space; not vertical tab. */
const PERL_SPACE = [0x09, 0x0a, 0x0c, 0x0d, 0x20];

/** Single-letter escapes that stand for one character (RE2 syntax). */
const CHAR_ESCAPES: Record<string, number> = { a: 0x07, f: 0x0c, t: 0x09, n: 0x0a, r: 0x0d, v: 0x0b };

class Parser {
  pos = 0;
  constructor(private readonly src: string) {}

  alternation(): RegexNode {
    const options = [this.concatenation()];
    while (this.src[this.pos] === '|') {
      this.pos++;
      options.push(this.concatenation());
    }
    return options.length === 1 ? options[0]! : { kind: 'alternate', options };
  }

  private concatenation(): RegexNode {
    const parts: RegexNode[] = [];
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]!;
      if (c === '|' || c === ')') break;
      // RE2 lets a repetition after `(?i)` or an empty `\Q\E` apply to the atom before them (`x(?i){2}` is
      // `xx`); that reading is not worth supporting, so such patterns are refused.
      if (c === '(' && this.src[this.pos + 1] === '?' && this.flagGroupWithoutBody()) {
        this.refuseQuantifierHere();
        continue;
      }
      const quoted = this.src.startsWith('\\Q', this.pos);
      const atom = this.atom();
      if (atom === undefined) {
        this.refuseQuantifierHere();
        continue;
      }
      if (quoted && atom.kind === 'concat') {
        // A repetition after `\Qab\E` applies to its last character only: `\Qab\E?` is `ab?`.
        parts.push(...atom.parts.slice(0, -1));
        parts.push(this.quantified(atom.parts[atom.parts.length - 1]!));
        continue;
      }
      parts.push(this.quantified(atom));
    }
    if (parts.length === 0) return { kind: 'empty' };
    return parts.length === 1 ? parts[0]! : { kind: 'concat', parts };
  }

  private refuseQuantifierHere(): void {
    const c = this.src[this.pos];
    if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(?:,\d*)?\}/.test(this.src.slice(this.pos, this.pos + 16)))) {
      throw new UnsupportedSyntax('repetition after a flag group or an empty \\Q\\E');
    }
  }

  /** `(?i)`, `(?-s)`...: flags only change case folding, which the prefilter ignores. */
  private flagGroupWithoutBody(): boolean {
    const m = /^\(\?([imsU-]*)\)/.exec(this.src.slice(this.pos, this.pos + 16));
    if (m === null) return false;
    this.pos += m[0].length;
    return true;
  }

  private quantified(atom: RegexNode): RegexNode {
    let node = atom;
    for (;;) {
      const c = this.src[this.pos];
      let min: number;
      let max: number;
      if (c === '*') {
        min = 0;
        max = Infinity;
        this.pos++;
      } else if (c === '+') {
        min = 1;
        max = Infinity;
        this.pos++;
      } else if (c === '?') {
        min = 0;
        max = 1;
        this.pos++;
      } else if (c === '{') {
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(this.src.slice(this.pos, this.pos + 16));
        // RE2 reads a `{` that does not start a valid count as a literal character.
        if (m === null) return node;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && (max > MAX_REPEAT || max < min))) throw new UnsupportedSyntax('bad repetition');
        this.pos += m[0].length;
      } else {
        return node;
      }
      // Non-greedy marker: same language.
      if (this.src[this.pos] === '?') this.pos++;
      if (node.kind === 'repeat' && node.node === atom) {
        // RE2 rejects `a**` and `a++`; it reaching here means an unexpected reading.
        throw new UnsupportedSyntax('repeated quantifier');
      }
      node = { kind: 'repeat', node, min, max };
    }
  }

  /** One atom, or undefined for text that matches nothing by itself (an empty `\Q\E`). */
  private atom(): RegexNode | undefined {
    const c = this.src[this.pos]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return this.charClass();
      case '.':
        this.pos++;
        return { kind: 'any' };
      case '^':
      case '$':
        this.pos++;
        return { kind: 'empty' };
      case '\\':
        return this.escape();
      case '*':
      case '+':
      case '?':
        throw new UnsupportedSyntax('quantifier without operand');
      default:
        this.pos++;
        return { kind: 'char', code: c.charCodeAt(0) };
    }
  }

  private group(): RegexNode {
    this.pos++; // (
    if (this.src[this.pos] === '?') {
      const rest = this.src.slice(this.pos, this.pos + 64);
      const flags = /^\?[imsU-]*:/.exec(rest);
      const named = /^\?P?<[A-Za-z_][A-Za-z0-9_]*>/.exec(rest);
      const opener = flags ?? named;
      if (opener === null) throw new UnsupportedSyntax(`group syntax at ${this.pos}`);
      this.pos += opener[0].length;
    }
    const inner = this.alternation();
    if (this.src[this.pos] !== ')') throw new UnsupportedSyntax('missing )');
    this.pos++;
    return inner;
  }

  private escape(): RegexNode | undefined {
    const n = this.src[this.pos + 1];
    if (n === undefined) throw new UnsupportedSyntax('trailing backslash');
    if (n === 'Q') {
      const end = this.src.indexOf('\\E', this.pos + 2);
      const stop = end < 0 ? this.src.length : end;
      const text = this.src.slice(this.pos + 2, stop);
      this.pos = end < 0 ? this.src.length : end + 2;
      if (text === '') return undefined;
      const parts: RegexNode[] = [...text].map((ch) => ({ kind: 'char', code: ch.codePointAt(0)! }));
      return parts.length === 1 ? parts[0]! : { kind: 'concat', parts };
    }
    if (n === 'b' || n === 'B' || n === 'A' || n === 'z') {
      this.pos += 2;
      return { kind: 'empty' };
    }
    if (n === 'C') {
      this.pos += 2;
      return { kind: 'any' };
    }
    return this.classEscape() ?? this.charEscape();
  }

  /** `\d`, `\W`, `\pL`...: a set, or undefined when the escape is not a class. */
  private classEscape(): RegexNode | undefined {
    const n = this.src[this.pos + 1]!;
    const sets: Record<string, number[]> = { d: DIGITS, w: WORD, s: PERL_SPACE };
    if (n in sets) {
      this.pos += 2;
      return setOf(sets[n]!);
    }
    if (n === 'D' || n === 'W' || n === 'S') {
      this.pos += 2;
      return { kind: 'any' };
    }
    if (n === 'p' || n === 'P') {
      const m = /^\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(this.src.slice(this.pos, this.pos + 40));
      if (m === null) throw new UnsupportedSyntax('bad \\p');
      this.pos += m[0].length;
      return { kind: 'any' };
    }
    return undefined;
  }

  /** An escape that stands for one character. */
  private charEscape(): RegexNode {
    return { kind: 'char', code: this.escapedCode() };
  }

  /** Reads `\x41`, `\x{41}`, `\n`, `\.`... at pos and returns the character's code. */
  private escapedCode(): number {
    const n = this.src[this.pos + 1]!;
    if (n === 'x') {
      const m = /^\\x(?:\{([0-9A-Fa-f]{1,8})\}|([0-9A-Fa-f]{2}))/.exec(this.src.slice(this.pos, this.pos + 14));
      if (m === null) throw new UnsupportedSyntax('bad \\x');
      this.pos += m[0].length;
      return parseInt(m[1] ?? m[2]!, 16);
    }
    if (n in CHAR_ESCAPES) {
      this.pos += 2;
      return CHAR_ESCAPES[n]!;
    }
    // RE2: a backslash before punctuation makes it literal; before a letter or digit it must be a known escape.
    if (/[A-Za-z0-9]/.test(n)) throw new UnsupportedSyntax(`escape \\${n}`);
    this.pos += 2;
    return n.codePointAt(0)!;
  }

  private charClass(): RegexNode {
    this.pos++; // [
    let negated = false;
    if (this.src[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const members = new Uint8Array(256);
    let wide = false;
    let first = true;
    for (;;) {
      if (this.pos >= this.src.length) throw new UnsupportedSyntax('missing ]');
      const c = this.src[this.pos]!;
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.src[this.pos + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.src.slice(this.pos, this.pos + 16));
        if (m === null) throw new UnsupportedSyntax('bad POSIX class');
        this.pos += m[0].length;
        const codes = m[1] === '' ? POSIX[m[2]!] : undefined;
        if (codes === undefined) wide = true;
        else for (const x of codes) members[x] = 1;
        continue;
      }
      if (c === '\\') {
        const n = this.src[this.pos + 1];
        if (n === 'd' || n === 'w' || n === 's') {
          for (const x of n === 'd' ? DIGITS : n === 'w' ? WORD : PERL_SPACE) members[x] = 1;
          this.pos += 2;
          continue;
        }
        if (n === 'D' || n === 'W' || n === 'S' || n === 'p' || n === 'P') {
          // Complements and Unicode classes reach beyond latin1: no use for a prefilter.
          if (n === 'p' || n === 'P') {
            const m = /^\\[pP](?:\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(this.src.slice(this.pos, this.pos + 40));
            if (m === null) throw new UnsupportedSyntax('bad \\p');
            this.pos += m[0].length;
          } else {
            this.pos += 2;
          }
          wide = true;
          continue;
        }
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.src[this.pos] === '-' && this.src[this.pos + 1] !== ']' && this.pos + 1 < this.src.length) {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) throw new UnsupportedSyntax('bad range');
      }
      for (let x = lo; x <= Math.min(hi, 0xff); x++) members[x] = 1;
      if (hi > 0xff) wide = true;
    }
    if (negated) return { kind: 'any' };
    return { kind: 'set', members, wide };
  }

  private classChar(): number {
    const c = this.src[this.pos]!;
    if (c !== '\\') {
      const code = this.src.codePointAt(this.pos)!;
      this.pos += code > 0xffff ? 2 : 1;
      return code;
    }
    const n = this.src[this.pos + 1];
    if (n === 'b' || n === 'Q' || n === 'E') throw new UnsupportedSyntax(`\\${n} in a class`);
    return this.escapedCode();
  }
}

const POSIX: Record<string, number[]> = {
  alnum: [...DIGITS, ...range(0x41, 0x5a), ...range(0x61, 0x7a)],
  alpha: [...range(0x41, 0x5a), ...range(0x61, 0x7a)],
  ascii: range(0, 0x7f),
  blank: [0x09, 0x20],
  cntrl: [...range(0, 0x1f), 0x7f],
  digit: DIGITS,
  graph: range(0x21, 0x7e),
  lower: range(0x61, 0x7a),
  print: range(0x20, 0x7e),
  punct: [...range(0x21, 0x2f), ...range(0x3a, 0x40), ...range(0x5b, 0x60), ...range(0x7b, 0x7e)],
  space: [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20],
  upper: range(0x41, 0x5a),
  word: WORD,
  xdigit: [...DIGITS, ...range(0x41, 0x46), ...range(0x61, 0x66)],
};
