/** Token types of libinjection's HTML5-like tokenizer (`TAG_DATA` exists upstream but is never produced). */
export type Html5TokenType =
  | 'DATA_TEXT'
  | 'TAG_NAME_OPEN'
  | 'TAG_NAME_CLOSE'
  | 'TAG_NAME_SELFCLOSE'
  | 'TAG_DATA'
  | 'TAG_CLOSE'
  | 'ATTR_NAME'
  | 'ATTR_VALUE'
  | 'TAG_COMMENT'
  | 'DOCTYPE';

/** Where the input is assumed to start: in text, or inside an attribute value of some quoting. */
export type Html5Context = 'data' | 'value-no-quote' | 'value-single-quote' | 'value-double-quote' | 'value-back-quote';

// Plain numeric constants rather than an enum: `isolatedModules` keeps enums as objects, and
// the property loads showed up in the hot dispatch switch.
const S_EOF = 0;
const S_DATA = 1;
const S_TAG_OPEN = 2;
const S_END_TAG_OPEN = 3;
const S_TAG_NAME = 4;
const S_TAG_NAME_CLOSE = 5;
const S_BEFORE_ATTR_NAME = 6;
const S_ATTR_NAME = 7;
const S_AFTER_ATTR_NAME = 8;
const S_BEFORE_ATTR_VALUE = 9;
const S_VALUE_DOUBLE_QUOTE = 10;
const S_VALUE_SINGLE_QUOTE = 11;
const S_VALUE_BACK_QUOTE = 12;
const S_VALUE_NO_QUOTE = 13;
const S_AFTER_VALUE_QUOTED = 14;
const S_SELF_CLOSING = 15;
const S_BOGUS_COMMENT = 16;
const S_BOGUS_COMMENT2 = 17;
const S_MARKUP_DECLARATION = 18;
const S_COMMENT = 19;
const S_CDATA = 20;
const S_DOCTYPE = 21;
type State = number;

// NUL is a delimiter here: the reference tests membership with `strchr`, which also finds the
// string terminator. Tag names are the exception and keep NUL bytes.
function isHtmlWhite(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x00;
}

// Bytes that end a run in the name and unquoted-value states, one table read per byte instead of
// a chain of comparisons: white space (NUL included) and `/ = >` end an attribute name; white space
// and `>` end an unquoted value.
const ENDS_ATTR_NAME = new Uint8Array(256);
const ENDS_VALUE_NO_QUOTE = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  if (isHtmlWhite(c) || c === 0x2f || c === 0x3d || c === 0x3e) ENDS_ATTR_NAME[c] = 1;
  if (isHtmlWhite(c) || c === 0x3e) ENDS_VALUE_NO_QUOTE[c] = 1;
}

function isAsciiLetter(c: number): boolean {
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x7a;
}

/**
 * libinjection's HTML5-like tokenizer over a latin1 byte string. Call {@link next} until it returns
 * false; the current token is in `tokenType`, `tokenStart`, `tokenLen` ({@link tokenValue}).
 *
 * Deviation from the C reference: byte 0xFF is an ordinary byte. On signed-char platforms the C code
 * reads 0xFF as end-of-input in three attribute states, which stops the scan and hides anything
 * after it (`<a \xff onerror=...>`); that bypass is not reproduced (Coraza does not have it either).
 */
export class Html5Tokenizer {
  s = '';
  len = 0;
  private pos = 0;
  private state: State = S_DATA;
  private isClose = false;
  tokenType: Html5TokenType = 'DATA_TEXT';
  tokenStart = 0;
  tokenLen = 0;

  constructor(input: string, context: Html5Context = 'data') {
    this.reset(input, context);
  }

  /**
   * Starts over on a new input, so that one tokenizer can serve many calls: the detector keeps one
   * instead of allocating one per context per call.
   */
  reset(input: string, context: Html5Context): void {
    this.s = input;
    this.len = input.length;
    this.pos = 0;
    this.isClose = false;
    this.tokenType = 'DATA_TEXT';
    this.tokenStart = 0;
    this.tokenLen = 0;
    switch (context) {
      case 'data':
        this.state = S_DATA;
        break;
      case 'value-no-quote':
        this.state = S_BEFORE_ATTR_NAME;
        break;
      case 'value-single-quote':
        this.state = S_VALUE_SINGLE_QUOTE;
        break;
      case 'value-double-quote':
        this.state = S_VALUE_DOUBLE_QUOTE;
        break;
      case 'value-back-quote':
        this.state = S_VALUE_BACK_QUOTE;
        break;
      default:
        this.state = S_DATA;
    }
  }

  /** Drops the reference to the input so that a pooled tokenizer does not keep a large input alive. */
  release(): void {
    this.s = '';
    this.len = 0;
    this.pos = 0;
    this.state = S_EOF;
  }

  tokenValue(): string {
    return this.s.substr(this.tokenStart, this.tokenLen);
  }

  private emit(type: Html5TokenType, start: number, len: number, next: State): true {
    this.tokenType = type;
    this.tokenStart = start;
    this.tokenLen = len;
    this.state = next;
    return true;
  }

  /** Skips white space (NUL included); returns the next byte, or -1 at the end of input. */
  private skipWhite(): number {
    const { s, len } = this;
    while (this.pos < len) {
      const c = s.charCodeAt(this.pos);
      if (c !== 0x00 && c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0b && c !== 0x0c && c !== 0x0d) return c;
      this.pos++;
    }
    return -1;
  }

  /**
   * Advances to the next token. Each state either emits, ends, or hands over to another state after
   * consuming at least one byte or moving to a state that emits or ends, so this is bounded by the input.
   */
  next(): boolean {
    const { s, len } = this;
    for (;;) {
      switch (this.state) {
        case S_EOF:
          return false;

        case S_DATA: {
          const start = this.pos;
          const lt = s.indexOf('<', start);
          if (lt < 0) {
            this.state = S_EOF;
            if (start >= len) return false;
            this.pos = len;
            return this.emit('DATA_TEXT', start, len - start, S_EOF);
          }
          this.pos = lt + 1;
          if (lt === start) {
            this.state = S_TAG_OPEN;
            continue;
          }
          return this.emit('DATA_TEXT', start, lt - start, S_TAG_OPEN);
        }

        case S_TAG_OPEN: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (c === 0x21) {
            this.pos++;
            this.state = S_MARKUP_DECLARATION;
          } else if (c === 0x2f) {
            this.pos++;
            this.isClose = true;
            this.state = S_END_TAG_OPEN;
          } else if (c === 0x3f) {
            this.pos++;
            this.state = S_BOGUS_COMMENT;
          } else if (c === 0x25) {
            this.pos++;
            this.state = S_BOGUS_COMMENT2;
          } else if (isAsciiLetter(c) || c === 0) {
            this.state = S_TAG_NAME;
          } else {
            // Not a tag: the `<` is text and the data state resumes after it.
            return this.emit('DATA_TEXT', this.pos - 1, 1, S_DATA);
          }
          continue;
        }

        case S_END_TAG_OPEN: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (c === 0x3e) {
            this.state = S_DATA;
          } else if (isAsciiLetter(c)) {
            this.state = S_TAG_NAME;
          } else {
            this.isClose = false;
            this.state = S_BOGUS_COMMENT;
          }
          continue;
        }

        case S_TAG_NAME: {
          const start = this.pos;
          for (let i = start; i < len; i++) {
            const c = s.charCodeAt(i);
            if (c === 0) continue;
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('TAG_NAME_OPEN', start, i - start, S_BEFORE_ATTR_NAME);
            }
            if (c === 0x2f) {
              this.pos = i + 1;
              return this.emit('TAG_NAME_OPEN', start, i - start, S_SELF_CLOSING);
            }
            if (c === 0x3e) {
              if (this.isClose) {
                this.pos = i + 1;
                this.isClose = false;
                return this.emit('TAG_CLOSE', start, i - start, S_DATA);
              }
              this.pos = i;
              return this.emit('TAG_NAME_OPEN', start, i - start, S_TAG_NAME_CLOSE);
            }
          }
          this.pos = len;
          return this.emit('TAG_NAME_OPEN', start, len - start, S_EOF);
        }

        case S_TAG_NAME_CLOSE: {
          this.isClose = false;
          const at = this.pos;
          this.pos++;
          return this.emit('TAG_NAME_CLOSE', at, 1, this.pos >= len ? S_EOF : S_DATA);
        }

        case S_BEFORE_ATTR_NAME: {
          const c = this.skipWhite();
          if (c < 0) return false;
          if (c === 0x2f) {
            this.pos++;
            if (this.pos < len && s.charCodeAt(this.pos) !== 0x3e) continue;
            this.state = S_SELF_CLOSING;
            continue;
          }
          if (c === 0x3e) {
            const at = this.pos;
            this.pos++;
            return this.emit('TAG_NAME_CLOSE', at, 1, S_DATA);
          }
          this.state = S_ATTR_NAME;
          continue;
        }

        case S_ATTR_NAME: {
          const start = this.pos;
          for (let i = start + 1; i < len; i++) {
            const c = s.charCodeAt(i);
            if (ENDS_ATTR_NAME[c] !== 1) continue;
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, S_AFTER_ATTR_NAME);
            }
            if (c === 0x2f) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, S_SELF_CLOSING);
            }
            if (c === 0x3d) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, S_BEFORE_ATTR_VALUE);
            }
            if (c === 0x3e) {
              this.pos = i;
              return this.emit('ATTR_NAME', start, i - start, S_TAG_NAME_CLOSE);
            }
          }
          this.pos = len;
          return this.emit('ATTR_NAME', start, len - start, S_EOF);
        }

        case S_AFTER_ATTR_NAME: {
          const c = this.skipWhite();
          if (c < 0) return false;
          if (c === 0x2f) {
            this.pos++;
            this.state = S_SELF_CLOSING;
          } else if (c === 0x3d) {
            this.pos++;
            this.state = S_BEFORE_ATTR_VALUE;
          } else if (c === 0x3e) {
            this.state = S_TAG_NAME_CLOSE;
          } else {
            this.state = S_ATTR_NAME;
          }
          continue;
        }

        case S_BEFORE_ATTR_VALUE: {
          const c = this.skipWhite();
          if (c < 0) {
            this.state = S_EOF;
            return false;
          }
          if (c === 0x22) this.state = S_VALUE_DOUBLE_QUOTE;
          else if (c === 0x27) this.state = S_VALUE_SINGLE_QUOTE;
          else if (c === 0x60) this.state = S_VALUE_BACK_QUOTE;
          else this.state = S_VALUE_NO_QUOTE;
          continue;
        }

        case S_VALUE_DOUBLE_QUOTE:
          return this.quotedValue('"');
        case S_VALUE_SINGLE_QUOTE:
          return this.quotedValue("'");
        case S_VALUE_BACK_QUOTE:
          return this.quotedValue('`');

        case S_VALUE_NO_QUOTE: {
          const start = this.pos;
          for (let i = start; i < len; i++) {
            const c = s.charCodeAt(i);
            if (ENDS_VALUE_NO_QUOTE[c] !== 1) continue;
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('ATTR_VALUE', start, i - start, S_BEFORE_ATTR_NAME);
            }
            if (c === 0x3e) {
              this.pos = i;
              return this.emit('ATTR_VALUE', start, i - start, S_TAG_NAME_CLOSE);
            }
          }
          this.pos = len;
          return this.emit('ATTR_VALUE', start, len - start, S_EOF);
        }

        case S_AFTER_VALUE_QUOTED: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (isHtmlWhite(c)) {
            this.pos++;
            this.state = S_BEFORE_ATTR_NAME;
          } else if (c === 0x2f) {
            this.pos++;
            this.state = S_SELF_CLOSING;
          } else if (c === 0x3e) {
            const at = this.pos;
            this.pos++;
            return this.emit('TAG_NAME_CLOSE', at, 1, S_DATA);
          } else {
            this.state = S_BEFORE_ATTR_NAME;
          }
          continue;
        }

        case S_SELF_CLOSING: {
          if (this.pos >= len) return false;
          if (s.charCodeAt(this.pos) !== 0x3e) {
            this.state = S_BEFORE_ATTR_NAME;
            continue;
          }
          const at = this.pos - 1;
          this.pos++;
          return this.emit('TAG_NAME_SELFCLOSE', at, 2, S_DATA);
        }

        case S_BOGUS_COMMENT: {
          const start = this.pos;
          const gt = s.indexOf('>', start);
          if (gt < 0) {
            this.pos = len;
            return this.emit('TAG_COMMENT', start, len - start, S_EOF);
          }
          this.pos = gt + 1;
          return this.emit('TAG_COMMENT', start, gt - start, S_DATA);
        }

        case S_BOGUS_COMMENT2: {
          // `<% ... %>`
          const start = this.pos;
          const end = s.indexOf('%>', start);
          if (end < 0) {
            this.pos = len;
            return this.emit('TAG_COMMENT', start, len - start, S_EOF);
          }
          this.pos = end + 2;
          return this.emit('TAG_COMMENT', start, end - start, S_DATA);
        }

        case S_MARKUP_DECLARATION: {
          const p = this.pos;
          if (len - p >= 7 && startsWithUpperAscii(s, p, 'DOCTYPE')) {
            this.state = S_DOCTYPE;
          } else if (len - p >= 7 && s.startsWith('[CDATA[', p)) {
            this.pos += 7;
            this.state = S_CDATA;
          } else if (len - p >= 2 && s.charCodeAt(p) === 0x2d && s.charCodeAt(p + 1) === 0x2d) {
            this.pos += 2;
            this.state = S_COMMENT;
          } else {
            this.state = S_BOGUS_COMMENT;
          }
          continue;
        }

        case S_COMMENT:
          return this.comment();

        case S_CDATA: {
          const start = this.pos;
          const end = s.indexOf(']]>', start);
          if (end < 0) {
            this.pos = len;
            return this.emit('DATA_TEXT', start, len - start, S_EOF);
          }
          this.pos = end + 3;
          return this.emit('DATA_TEXT', start, end - start, S_DATA);
        }

        case S_DOCTYPE: {
          const start = this.pos;
          const gt = s.indexOf('>', start);
          if (gt < 0) {
            this.pos = len;
            return this.emit('DOCTYPE', start, len - start, S_EOF);
          }
          this.pos = gt + 1;
          return this.emit('DOCTYPE', start, gt - start, S_DATA);
        }
      }
    }
  }

  private quotedValue(quote: string): boolean {
    // In a starting "inside a quoted value" context pos is 0 and there is no opening quote to skip.
    if (this.pos > 0) this.pos++;
    const start = this.pos;
    const end = this.s.indexOf(quote, start);
    if (end < 0) {
      this.pos = this.len;
      return this.emit('ATTR_VALUE', start, this.len - start, S_EOF);
    }
    this.pos = end + 1;
    return this.emit('ATTR_VALUE', start, end - start, S_AFTER_VALUE_QUOTED);
  }

  /** `<!-- ... -->`, also ended by `--!>` and with NUL bytes allowed between the dashes. */
  private comment(): boolean {
    const { s, len } = this;
    const start = this.pos;
    let from = start;
    for (;;) {
      const dash = s.indexOf('-', from);
      if (dash < 0 || dash > len - 3) break;
      let i = dash + 1;
      while (i < len && s.charCodeAt(i) === 0) i++;
      if (i >= len) break;
      const c = s.charCodeAt(i);
      if (c !== 0x2d && c !== 0x21) {
        from = dash + 1;
        continue;
      }
      i++;
      if (i >= len) break;
      if (s.charCodeAt(i) !== 0x3e) {
        from = dash + 1;
        continue;
      }
      this.pos = i + 1;
      return this.emit('TAG_COMMENT', start, dash - start, S_DATA);
    }
    this.pos = len;
    return this.emit('TAG_COMMENT', start, len - start, S_EOF);
  }
}

/**
 * Whether `s` at `at` holds `upper` (upper-case ASCII) with only `a`-`z` folded: the same as
 * comparing an ASCII-upper-cased copy, without making one. The caller checks the length.
 */
function startsWithUpperAscii(s: string, at: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    const c = s.charCodeAt(at + i);
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== upper.charCodeAt(i)) return false;
  }
  return true;
}
