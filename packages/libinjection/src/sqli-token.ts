// The module-local name is used here: the CommonJS output reads an exported constant from `exports`
// at every use.
const VALUE_MAX = 31;
/** Longest value a token stores; libinjection truncates both the value and the length to this. */
export const TOKEN_VALUE_MAX = VALUE_MAX;

/**
 * One SQLi token. Mutable on purpose: the folder copies tokens between the slots of a fixed array,
 * exactly as libinjection does, and several rules depend on which slot is overwritten.
 *
 * The value is held as a range of a source string (usually the input) rather than as a substring:
 * the detector reuses its tokens across calls and most values are only compared, never read as a
 * string, so {@link val} builds the substring only when it is asked for.
 */
export class SqliToken {
  /** One-character token type (`k`, `U`, `s`, `1`, ...), or `''` for "no token". */
  type = '';
  pos = 0;
  /** Length of `val`, at most {@link TOKEN_VALUE_MAX} even when the lexeme is longer. */
  len = 0;
  /** The value is `valSrc.substr(valStart, valLen)`. */
  valSrc = '';
  valStart = 0;
  valLen = 0;
  /** Opening quote of a string (`'`, `"`, `` ` ``, `u`, `q`, `$`), `''` when the string started before the input. */
  strOpen = '';
  /** Closing quote, `''` when the string runs to the end of the input. */
  strClose = '';
  /** Number of `@` of a variable (1 or 2). */
  count = 0;

  get val(): string {
    return this.valLen === 0 ? '' : this.valSrc.substr(this.valStart, this.valLen);
  }

  set val(value: string) {
    this.valSrc = value;
    this.valStart = 0;
    this.valLen = value.length;
  }

  clear(): void {
    this.type = '';
    this.pos = 0;
    this.len = 0;
    this.valSrc = '';
    this.valStart = 0;
    this.valLen = 0;
    this.strOpen = '';
    this.strClose = '';
    this.count = 0;
  }

  /** Sets type, position and value `s[start, start + len)`, truncated to {@link TOKEN_VALUE_MAX} bytes. */
  assign(type: string, pos: number, len: number, s: string, start: number): void {
    const kept = len > VALUE_MAX ? VALUE_MAX : len;
    this.type = type;
    this.pos = pos;
    this.len = kept;
    this.valSrc = s;
    this.valStart = start;
    // `substr` semantics: a range running past the end of `s` is cut there.
    const available = s.length - start;
    this.valLen = kept < available ? kept : available > 0 ? available : 0;
  }

  copyFrom(other: SqliToken): void {
    this.type = other.type;
    this.pos = other.pos;
    this.len = other.len;
    this.valSrc = other.valSrc;
    this.valStart = other.valStart;
    this.valLen = other.valLen;
    this.strOpen = other.strOpen;
    this.strClose = other.strClose;
    this.count = other.count;
  }

  /** Byte `i` of the value, or -1 past its end. */
  valCode(i: number): number {
    return i >= 0 && i < this.valLen ? this.valSrc.charCodeAt(this.valStart + i) : -1;
  }

  /** Whether the value is exactly `s`. */
  valEquals(s: string): boolean {
    if (this.valLen !== s.length) return false;
    return this.valSrc.startsWith(s, this.valStart);
  }

  /**
   * Whether the value starts with `upper` (upper-case ASCII), ignoring ASCII case. Equivalent to
   * comparing an upper-cased copy: no latin1 byte other than `a`-`z` upper-cases to ASCII, and the
   * one that expands (`ß` to `SS`) lengthens the copy, so it cannot produce an equal-length match.
   */
  valStartsWithCi(upper: string): boolean {
    if (this.valLen < upper.length) return false;
    const src = this.valSrc;
    const base = this.valStart;
    for (let i = 0; i < upper.length; i++) {
      const c = src.charCodeAt(base + i);
      if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== upper.charCodeAt(i)) return false;
    }
    return true;
  }

  /** Whether the value equals `upper` (upper-case ASCII), ignoring ASCII case. */
  valEqualsCi(upper: string): boolean {
    return this.valLen === upper.length && this.valStartsWithCi(upper);
  }

  /** Whether the value contains byte `code`. */
  valIncludes(code: number): boolean {
    const end = this.valStart + this.valLen;
    for (let i = this.valStart; i < end; i++) if (this.valSrc.charCodeAt(i) === code) return true;
    return false;
  }

  /** Drops the reference to the source string so that a pooled token does not keep a large input alive. */
  release(): void {
    this.valSrc = '';
    this.valStart = 0;
    this.valLen = 0;
  }

  /** The upstream test-driver form: `type value`, strings quoted, variables prefixed by `@`/`@@`. */
  toString(): string {
    if (this.type === 's') return `s ${this.strOpen}${this.val}${this.strClose}`;
    if (this.type === 'v') return `v ${'@'.repeat(this.count)}${this.strOpen}${this.val}${this.strClose}`;
    return `${this.type} ${this.val}`;
  }
}
