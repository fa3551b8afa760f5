import { CHARMAP } from './data/sqli-data';
import { lookupRange } from './sqli-keywords';
import { SqliToken } from './sqli-token';

/**
 * Where the input is assumed to sit in the surrounding SQL: outside any string, or inside a `'` or
 * `"` string that was opened before the input. `mysql` selects MySQL comment rules (`#` comments,
 * `--x` is not a comment) instead of ANSI.
 */
export interface SqliContext {
  readonly quote: 'none' | 'single' | 'double';
  readonly mysql: boolean;
}

export interface SqliOptions {
  /**
   * Behaviour for a number whose exponent marker has no digits (`1.e`, `10.10E`, `1e+`).
   * `false` (default): no token at all, the bytes are skipped like white space — libinjection v4
   * (upstream PR #60) and Coraza. `true`: a bare word `n`, as in libinjection v3.x / ModSecurity
   * <= 3.0.13. The default is the v4 one because the v3 word lets `1.eUNION`-style padding change
   * the fingerprint.
   */
  readonly legacyExponent?: boolean;
}

// Plain numeric constants rather than an enum: `isolatedModules` keeps enums as objects, and
// the property loads showed up in the hot dispatch switch.
const D_WHITE = 0;
const D_WORD = 1;
const D_B_STRING = 2;
const D_X_STRING = 3;
const D_E_STRING = 4;
const D_NQ_STRING = 5;
const D_Q_STRING = 6;
const D_U_STRING = 7;
const D_NUMBER = 8;
const D_STRING = 9;
const D_TICK = 10;
const D_VAR = 11;
const D_MONEY = 12;
const D_HASH = 13;
const D_DASH = 14;
const D_SLASH = 15;
const D_BACK = 16;
const D_B_WORD = 17;
const D_OP1 = 18;
const D_OP2 = 19;
const D_CHAR = 20;
const D_OTHER = 21;
type Dispatch = number;

const CLASS_TO_DISPATCH: Record<string, Dispatch> = {
  CHAR_WHITE: D_WHITE,
  CHAR_WORD: D_WORD,
  CHAR_BSTRING: D_B_STRING,
  CHAR_XSTRING: D_X_STRING,
  CHAR_ESTRING: D_E_STRING,
  CHAR_NQSTRING: D_NQ_STRING,
  CHAR_QSTRING: D_Q_STRING,
  CHAR_USTRING: D_U_STRING,
  CHAR_NUM: D_NUMBER,
  CHAR_STR: D_STRING,
  CHAR_TICK: D_TICK,
  CHAR_VAR: D_VAR,
  CHAR_MONEY: D_MONEY,
  CHAR_HASH: D_HASH,
  CHAR_DASH: D_DASH,
  CHAR_SLASH: D_SLASH,
  CHAR_BACK: D_BACK,
  CHAR_BWORD: D_B_WORD,
  CHAR_OP1: D_OP1,
  CHAR_UNARY: D_OP1,
  CHAR_OP2: D_OP2,
  CHAR_BANG: D_OP2,
  CHAR_LEFTPARENS: D_CHAR,
  CHAR_RIGHTPARENS: D_CHAR,
  CHAR_LEFTBRACE: D_CHAR,
  CHAR_RIGHTBRACE: D_CHAR,
  CHAR_COMMA: D_CHAR,
  CHAR_SEMICOLON: D_CHAR,
  CHAR_OTHER: D_OTHER,
};

const DISPATCH = new Uint8Array(256);
CHARMAP.forEach((cls, byte) => {
  const d = CLASS_TO_DISPATCH[cls];
  if (d === undefined) throw new Error(`libinjection charmap: unknown class ${cls} for byte ${byte}`);
  DISPATCH[byte] = d;
});

function byteSet(chars: string): Uint8Array {
  const set = new Uint8Array(256);
  for (let i = 0; i < chars.length; i++) set[chars.charCodeAt(i)] = 1;
  return set;
}

// `.`, `` ` ``, `$` and `_` are word bytes: `.` and `` ` `` are split afterwards by the prefix lookup.
const WORD_DELIMS = byteSet(' []{}<>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r"\xa0\x00');
// Variable names additionally accept `[ ] { } . $` and 0xA0, but stop at a backtick.
const VAR_DELIMS = byteSet(' <>:\\?=@!#~+-*/&|^%(),\';\t\n\v\f\r`"\x00');
const WHITE = byteSet(' \t\n\v\f\r\xa0\x00');
const DIGITS = byteSet('0123456789');
// The reference measures these runs with a `strchr`-based span, and `strchr` also finds the
// string terminator: a NUL byte therefore belongs to every one of them (`0x\0` is a number).
const HEX_DIGITS = byteSet('0123456789abcdefABCDEF\x00');
const BIN_DIGITS = byteSet('01\x00');
const MONEY_DIGITS = byteSet('0123456789.,\x00');
const LETTERS = byteSet('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\x00');

const CH_QUOTE = 0x27;
const CH_DQUOTE = 0x22;
const CH_TICK = 0x60;
const CH_DOLLAR = 0x24;

// Written to only before the first `next`, which points the tokenizer at the caller's token.
const DETACHED_TOKEN = new SqliToken();

/**
 * libinjection's byte tokenizer. `next(token)` fills `token` with the next token and returns false at
 * the end of the input. Every parser consumes at least one byte, so the loop is bounded by the input
 * length (plus one synthetic string token in a quote context).
 */
export class SqliTokenizer {
  s = '';
  slen = 0;
  context: SqliContext = { quote: 'none', mysql: false };
  private legacyExponent = false;
  private quoteByte = 0;
  pos = 0;
  /** Every token returned, comments included; the whitelist rules read it. */
  statsTokens = 0;
  /** `--x` comments seen in ANSI mode: a reason to retry the input as MySQL. */
  statsCommentDdx = 0;
  /** `#` seen: a reason to retry the input as MySQL. */
  statsCommentHash = 0;
  private started = false;
  private tok: SqliToken = DETACHED_TOKEN;

  constructor(input: string, context: SqliContext, options: SqliOptions = {}) {
    this.reset(input, context, options);
  }

  /**
   * Starts over on a new input, so that one tokenizer can serve many calls: the detector keeps one
   * instead of allocating a tokenizer per context per call.
   */
  reset(input: string, context: SqliContext, options: SqliOptions): void {
    this.s = input;
    this.slen = input.length;
    this.context = context;
    this.legacyExponent = options.legacyExponent === true;
    this.quoteByte = context.quote === 'single' ? CH_QUOTE : context.quote === 'double' ? CH_DQUOTE : 0;
    this.pos = 0;
    this.statsTokens = 0;
    this.statsCommentDdx = 0;
    this.statsCommentHash = 0;
    this.started = false;
    this.tok = DETACHED_TOKEN;
  }

  /** Drops the reference to the input so that a pooled tokenizer does not keep a large input alive. */
  release(): void {
    this.s = '';
    this.slen = 0;
    this.pos = 0;
    this.tok = DETACHED_TOKEN;
  }

  next(token: SqliToken): boolean {
    this.tok = token;
    token.clear();
    if (this.slen === 0) return false;
    if (!this.started) {
      this.started = true;
      // In a quote context the input starts inside a string: its first token is the rest of that string.
      if (this.quoteByte !== 0) {
        this.pos = this.parseStringCore(0, this.quoteByte, 0);
        this.statsTokens++;
        return true;
      }
    }
    while (this.pos < this.slen) {
      this.pos = this.dispatch(DISPATCH[this.s.charCodeAt(this.pos)] as number);
      if (token.type !== '') {
        this.statsTokens++;
        return true;
      }
    }
    return false;
  }

  private dispatch(d: Dispatch): number {
    switch (d) {
      case D_WHITE:
        return this.pos + 1;
      case D_WORD:
        return this.parseWord();
      case D_B_STRING:
        return this.parseBitString(BIN_DIGITS);
      case D_X_STRING:
        return this.parseBitString(HEX_DIGITS);
      case D_E_STRING:
        return this.parseEString();
      case D_NQ_STRING:
        return this.parseNqString();
      case D_Q_STRING:
        return this.parseQString(0);
      case D_U_STRING:
        return this.parseUString();
      case D_NUMBER:
        return this.parseNumber();
      case D_STRING:
        return this.parseStringCore(this.pos, this.s.charCodeAt(this.pos), 1);
      case D_TICK:
        return this.parseTick(this.pos);
      case D_VAR:
        return this.parseVar();
      case D_MONEY:
        return this.parseMoney();
      case D_HASH:
        return this.parseHash();
      case D_DASH:
        return this.parseDash();
      case D_SLASH:
        return this.parseSlash();
      case D_BACK:
        return this.parseBackslash();
      case D_B_WORD:
        return this.parseBracketWord();
      case D_OP1:
        return this.parseOperator1();
      case D_OP2:
        return this.parseOperator2();
      case D_CHAR:
        this.tok.assign(this.s.charAt(this.pos), this.pos, 1, this.s, this.pos);
        return this.pos + 1;
      default:
        // D_OTHER (`?`, `]`): an unknown one-byte token.
        this.tok.assign('?', this.pos, 1, this.s, this.pos);
        return this.pos + 1;
    }
  }

  private byteAt(i: number): number {
    return i < this.slen ? this.s.charCodeAt(i) : -1;
  }

  private parseOperator1(): number {
    this.tok.assign('o', this.pos, 1, this.s, this.pos);
    return this.pos + 1;
  }

  private parseOperator2(): number {
    const { s, pos } = this;
    if (pos + 1 >= this.slen) return this.parseOperator1();
    if (pos + 2 < this.slen && s.startsWith('<=>', pos)) {
      this.tok.assign('o', pos, 3, s, pos);
      return pos + 3;
    }
    const type = lookupRange(s, pos, 2);
    if (type !== '') {
      this.tok.assign(type, pos, 2, s, pos);
      return pos + 2;
    }
    if (s.charCodeAt(pos) === 0x3a) {
      this.tok.assign(':', pos, 1, s, pos);
      return pos + 1;
    }
    return this.parseOperator1();
  }

  private parseHash(): number {
    this.statsCommentHash++;
    if (this.context.mysql) return this.parseEolComment();
    return this.parseOperator1();
  }

  private parseEolComment(): number {
    const { s, pos } = this;
    const nl = s.indexOf('\n', pos);
    if (nl < 0) {
      this.tok.assign('c', pos, this.slen - pos, s, pos);
      return this.slen;
    }
    this.tok.assign('c', pos, nl - pos, s, pos);
    return nl + 1;
  }

  private parseDash(): number {
    const pos = this.pos;
    if (this.byteAt(pos + 1) === 0x2d) {
      if (pos + 2 === this.slen) return this.parseEolComment();
      if (WHITE[this.s.charCodeAt(pos + 2)] === 1) return this.parseEolComment();
      if (!this.context.mysql) {
        this.statsCommentDdx++;
        return this.parseEolComment();
      }
    }
    return this.parseOperator1();
  }

  private parseSlash(): number {
    const { s, pos } = this;
    if (this.byteAt(pos + 1) !== 0x2a) return this.parseOperator1();
    const end = s.indexOf('*/', pos + 2);
    let type = 'c';
    let clen: number;
    if (end < 0) {
      clen = this.slen - pos;
    } else {
      clen = end + 2 - pos;
      // A `/*` between the opener and the `*` of the closer is a nested comment, which databases
      // disagree about: libinjection calls it unparsable.
      const nested = s.indexOf('/*', pos + 2);
      if (nested >= 0 && nested + 2 <= end + 1) type = 'X';
    }
    // `/*!` is MySQL's conditional comment: its body is executed, so it cannot be treated as a comment.
    if (this.byteAt(pos + 2) === 0x21) type = 'X';
    this.tok.assign(type, pos, clen, s, pos);
    return pos + clen;
  }

  private parseBackslash(): number {
    const { s, pos } = this;
    if (this.byteAt(pos + 1) === 0x4e) {
      this.tok.assign('1', pos, 2, s, pos);
      return pos + 2;
    }
    this.tok.assign('\\', pos, 1, s, pos);
    return pos + 1;
  }

  /** True when the byte after `end` is escaped by an odd run of backslashes ending at `end` (not before `start`). */
  private isBackslashEscaped(end: number, start: number): boolean {
    let i = end;
    while (i >= start && this.s.charCodeAt(i) === 0x5c) i--;
    return ((end - i) & 1) === 1;
  }

  /**
   * A string delimited by `delim`, starting at `at + offset`. `offset` is 0 for the synthetic string
   * of a quote context (no opening quote), 1 for a real quote, 2 for `E'` / `N'`.
   */
  private parseStringCore(at: number, delim: number, offset: number): number {
    const { s, slen } = this;
    const tok = this.tok;
    const start = at + offset;
    const quote = String.fromCharCode(delim);
    let q = s.indexOf(quote, start);
    for (;;) {
      if (q < 0) {
        tok.assign('s', start, slen - start, s, start);
        tok.strOpen = offset > 0 ? quote : '';
        tok.strClose = '';
        return slen;
      }
      if (this.isBackslashEscaped(q - 1, start)) {
        q = s.indexOf(quote, q + 1);
      } else if (q + 1 < slen && s.charCodeAt(q + 1) === delim) {
        q = s.indexOf(quote, q + 2);
      } else {
        tok.assign('s', start, q - start, s, start);
        tok.strOpen = offset > 0 ? quote : '';
        tok.strClose = quote;
        return q + 1;
      }
    }
  }

  private parseEString(): number {
    const pos = this.pos;
    if (pos + 2 >= this.slen || this.s.charCodeAt(pos + 1) !== CH_QUOTE) return this.parseWord();
    return this.parseStringCore(pos, CH_QUOTE, 2);
  }

  private parseUString(): number {
    const { s, pos } = this;
    if (pos + 2 < this.slen && s.charCodeAt(pos + 1) === 0x26 && s.charCodeAt(pos + 2) === CH_QUOTE) {
      const next = this.parseStringCore(pos + 2, CH_QUOTE, 1);
      this.tok.strOpen = 'u';
      if (this.tok.strClose === "'") this.tok.strClose = 'u';
      return next;
    }
    return this.parseWord();
  }

  private parseNqString(): number {
    const pos = this.pos;
    if (pos + 2 < this.slen && this.s.charCodeAt(pos + 1) === CH_QUOTE) return this.parseEString();
    return this.parseQString(1);
  }

  /** Oracle `q'<d>...<d>'` at `pos + offset` (offset 1 for `nq'`). */
  private parseQString(offset: number): number {
    const { s, slen } = this;
    const p = this.pos + offset;
    if (p >= slen) return this.parseWord();
    const q = s.charCodeAt(p);
    if (q !== 0x71 && q !== 0x51) return this.parseWord();
    if (p + 2 >= slen || s.charCodeAt(p + 1) !== CH_QUOTE) return this.parseWord();
    const d = s.charCodeAt(p + 2);
    // Signed-char quirk of the reference (x86): a delimiter byte >= 0x80 counts as "< 33", so
    // `q'<high byte>` is a word. Kept so that fingerprints match ModSecurity.
    if (d < 33 || d >= 0x80) return this.parseWord();
    let close: number;
    switch (d) {
      case 0x28:
        close = 0x29;
        break;
      case 0x5b:
        close = 0x5d;
        break;
      case 0x7b:
        close = 0x7d;
        break;
      case 0x3c:
        close = 0x3e;
        break;
      default:
        close = d;
    }
    const end = s.indexOf(String.fromCharCode(close, CH_QUOTE), p + 3);
    const tok = this.tok;
    if (end < 0) {
      tok.assign('s', p + 3, slen - (p + 3), s, p + 3);
      tok.strOpen = 'q';
      tok.strClose = '';
      return slen;
    }
    tok.assign('s', p + 3, end - (p + 3), s, p + 3);
    tok.strOpen = 'q';
    tok.strClose = 'q';
    return end + 2;
  }

  /** `b'0101'` and `x'beef'`: a number covering the whole literal, or a word when malformed. */
  private parseBitString(allowed: Uint8Array): number {
    const { s, pos, slen } = this;
    if (pos + 2 >= slen || s.charCodeAt(pos + 1) !== CH_QUOTE) return this.parseWord();
    let w = 0;
    while (pos + 2 + w < slen && allowed[s.charCodeAt(pos + 2 + w)] === 1) w++;
    if (pos + 2 + w >= slen || s.charCodeAt(pos + 2 + w) !== CH_QUOTE) return this.parseWord();
    this.tok.assign('1', pos, w + 3, s, pos);
    return pos + w + 3;
  }

  private parseBracketWord(): number {
    const { s, pos } = this;
    const close = s.indexOf(']', pos);
    const end = close < 0 ? this.slen : close + 1;
    this.tok.assign('n', pos, end - pos, s, pos);
    return end;
  }

  private parseWord(): number {
    const { s, pos, slen } = this;
    const tok = this.tok;
    let w = 0;
    while (pos + w < slen && WORD_DELIMS[s.charCodeAt(pos + w)] !== 1) w++;
    tok.assign('n', pos, w, s, pos);
    // `SELECT.1` / ``SELECT`x` ``: a keyword before a `.` or backtick ends the word there.
    const kept = tok.valLen;
    for (let i = 1; i < kept; i++) {
      const c = s.charCodeAt(pos + i);
      if (c === 0x2e || c === CH_TICK) {
        const type = lookupRange(s, pos, i);
        if (type !== '' && type !== 'n') {
          tok.assign(type, pos, i, s, pos);
          return pos + i;
        }
      }
    }
    // Words longer than a token can hold are never keywords.
    if (w <= 31) {
      const type = lookupRange(s, pos, kept);
      tok.type = type === '' ? 'n' : type;
    }
    return pos + w;
  }

  private parseTick(at: number): number {
    const next = this.parseStringCore(at, CH_TICK, 1);
    // A quoted identifier is a name, unless it names a function (`` `sleep`(5) ``).
    const tok = this.tok;
    tok.type = lookupRange(tok.valSrc, tok.valStart, tok.valLen) === 'f' ? 'f' : 'n';
    return next;
  }

  private parseVar(): number {
    const { s, slen } = this;
    const tok = this.tok;
    let p = this.pos + 1;
    let count = 1;
    if (p < slen && s.charCodeAt(p) === 0x40) {
      p++;
      count = 2;
    }
    if (p < slen) {
      const c = s.charCodeAt(p);
      if (c === CH_TICK || c === CH_QUOTE || c === CH_DQUOTE) {
        const next = c === CH_TICK ? this.parseTick(p) : this.parseStringCore(p, c, 1);
        tok.type = 'v';
        tok.count = count;
        return next;
      }
    }
    let w = 0;
    while (p + w < slen && VAR_DELIMS[s.charCodeAt(p + w)] !== 1) w++;
    tok.assign('v', this.pos, w, s, p);
    tok.count = count;
    return p + w;
  }

  private parseMoney(): number {
    const { s, pos, slen } = this;
    const tok = this.tok;
    if (pos + 1 === slen) {
      tok.assign('n', pos, 1, s, pos);
      return slen;
    }
    let x = 0;
    while (pos + 1 + x < slen && MONEY_DIGITS[s.charCodeAt(pos + 1 + x)] === 1) x++;
    if (x === 0) {
      if (s.charCodeAt(pos + 1) === CH_DOLLAR) {
        // PostgreSQL `$$...$$`
        const end = s.indexOf('$$', pos + 2);
        const stop = end < 0 ? slen : end;
        tok.assign('s', pos + 2, stop - (pos + 2), s, pos + 2);
        tok.strOpen = '$';
        tok.strClose = end < 0 ? '' : '$';
        return end < 0 ? slen : end + 2;
      }
      let y = 0;
      while (pos + 1 + y < slen && LETTERS[s.charCodeAt(pos + 1 + y)] === 1) y++;
      if (y === 0 || pos + 1 + y >= slen || s.charCodeAt(pos + 1 + y) !== CH_DOLLAR) {
        tok.assign('n', pos, 1, s, pos);
        return pos + 1;
      }
      // PostgreSQL `$tag$...$tag$`
      const tag = s.substr(pos, y + 2);
      const bodyStart = pos + y + 2;
      const end = s.indexOf(tag, bodyStart);
      const stop = end < 0 ? slen : end;
      tok.assign('s', bodyStart, stop - bodyStart, s, bodyStart);
      tok.strOpen = '$';
      tok.strClose = end < 0 ? '' : '$';
      return end < 0 ? slen : end + tag.length;
    }
    if (x === 1 && s.charCodeAt(pos + 1) === 0x2e) return this.parseWord();
    tok.assign('1', pos, 1 + x, s, pos);
    return pos + 1 + x;
  }

  private parseNumber(): number {
    const { s, pos, slen } = this;
    const tok = this.tok;
    if (s.charCodeAt(pos) === 0x30 && pos + 1 < slen) {
      const c1 = s.charCodeAt(pos + 1);
      const digits = c1 === 0x78 || c1 === 0x58 ? HEX_DIGITS : c1 === 0x62 || c1 === 0x42 ? BIN_DIGITS : undefined;
      if (digits !== undefined) {
        let w = 0;
        while (pos + 2 + w < slen && digits[s.charCodeAt(pos + 2 + w)] === 1) w++;
        tok.assign(w === 0 ? 'n' : '1', pos, 2 + w, s, pos);
        return pos + 2 + w;
      }
    }
    let p = pos;
    while (p < slen && DIGITS[s.charCodeAt(p)] === 1) p++;
    if (p < slen && s.charCodeAt(p) === 0x2e) {
      p++;
      while (p < slen && DIGITS[s.charCodeAt(p)] === 1) p++;
      if (p - pos === 1) {
        tok.assign('.', pos, 1, s, pos);
        return pos + 1;
      }
    }
    let haveE = false;
    let haveExp = false;
    if (p < slen && (s.charCodeAt(p) | 0x20) === 0x65) {
      haveE = true;
      p++;
      if (p < slen && (s.charCodeAt(p) === 0x2b || s.charCodeAt(p) === 0x2d)) p++;
      const digitsStart = p;
      while (p < slen && DIGITS[s.charCodeAt(p)] === 1) p++;
      haveExp = p > digitsStart;
    }
    // Oracle `1f` / `1d` suffixes, only when something that ends a number follows.
    if (p < slen) {
      const c = s.charCodeAt(p) | 0x20;
      if (c === 0x64 || c === 0x66) {
        if (p + 1 === slen) {
          p++;
        } else {
          const n = s.charCodeAt(p + 1);
          if (WHITE[n] === 1 || n === 0x3b || n === 0x75 || n === 0x55) p++;
        }
      }
    }
    if (haveE && !haveExp) {
      if (this.legacyExponent) tok.assign('n', pos, p - pos, s, pos);
      return p;
    }
    tok.assign('1', pos, p - pos, s, pos);
    return p;
  }
}
