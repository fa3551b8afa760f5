/** Longest value a token stores; libinjection truncates both the value and the length to this. */
export const TOKEN_VALUE_MAX = 31;

/**
 * One SQLi token. Mutable on purpose: the folder copies tokens between the slots of a fixed array,
 * exactly as libinjection does, and several rules depend on which slot is overwritten.
 */
export class SqliToken {
  /** One-character token type (`k`, `U`, `s`, `1`, ...), or `''` for "no token". */
  type = '';
  pos = 0;
  /** Length of `val`, at most {@link TOKEN_VALUE_MAX} even when the lexeme is longer. */
  len = 0;
  val = '';
  /** Opening quote of a string (`'`, `"`, `` ` ``, `u`, `q`, `$`), `''` when the string started before the input. */
  strOpen = '';
  /** Closing quote, `''` when the string runs to the end of the input. */
  strClose = '';
  /** Number of `@` of a variable (1 or 2). */
  count = 0;

  clear(): void {
    this.type = '';
    this.pos = 0;
    this.len = 0;
    this.val = '';
    this.strOpen = '';
    this.strClose = '';
    this.count = 0;
  }

  /** Sets type, position and value `s[start, start + len)`, truncated to {@link TOKEN_VALUE_MAX} bytes. */
  assign(type: string, pos: number, len: number, s: string, start: number): void {
    const kept = len > TOKEN_VALUE_MAX ? TOKEN_VALUE_MAX : len;
    this.type = type;
    this.pos = pos;
    this.len = kept;
    this.val = s.substr(start, kept);
  }

  copyFrom(other: SqliToken): void {
    this.type = other.type;
    this.pos = other.pos;
    this.len = other.len;
    this.val = other.val;
    this.strOpen = other.strOpen;
    this.strClose = other.strClose;
    this.count = other.count;
  }

  /** The upstream test-driver form: `type value`, strings quoted, variables prefixed by `@`/`@@`. */
  toString(): string {
    if (this.type === 's') return `s ${this.strOpen}${this.val}${this.strClose}`;
    if (this.type === 'v') return `v ${'@'.repeat(this.count)}${this.strOpen}${this.val}${this.strClose}`;
    return `${this.type} ${this.val}`;
  }
}
