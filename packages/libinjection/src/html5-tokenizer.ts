import { asciiUpper } from './ascii';

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

const enum State {
  Eof,
  Data,
  TagOpen,
  EndTagOpen,
  TagName,
  TagNameClose,
  BeforeAttrName,
  AttrName,
  AfterAttrName,
  BeforeAttrValue,
  ValueDoubleQuote,
  ValueSingleQuote,
  ValueBackQuote,
  ValueNoQuote,
  AfterValueQuoted,
  SelfClosing,
  BogusComment,
  BogusComment2,
  MarkupDeclaration,
  Comment,
  Cdata,
  Doctype,
}

// NUL is a delimiter here: the reference tests membership with `strchr`, which also finds the
// string terminator. Tag names are the exception and keep NUL bytes.
function isHtmlWhite(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x00;
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
  readonly s: string;
  readonly len: number;
  private pos = 0;
  private state: State;
  private isClose = false;
  tokenType: Html5TokenType = 'DATA_TEXT';
  tokenStart = 0;
  tokenLen = 0;

  constructor(input: string, context: Html5Context = 'data') {
    this.s = input;
    this.len = input.length;
    switch (context) {
      case 'data':
        this.state = State.Data;
        break;
      case 'value-no-quote':
        this.state = State.BeforeAttrName;
        break;
      case 'value-single-quote':
        this.state = State.ValueSingleQuote;
        break;
      case 'value-double-quote':
        this.state = State.ValueDoubleQuote;
        break;
      case 'value-back-quote':
        this.state = State.ValueBackQuote;
        break;
    }
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
        case State.Eof:
          return false;

        case State.Data: {
          const start = this.pos;
          const lt = s.indexOf('<', start);
          if (lt < 0) {
            this.state = State.Eof;
            if (start >= len) return false;
            this.pos = len;
            return this.emit('DATA_TEXT', start, len - start, State.Eof);
          }
          this.pos = lt + 1;
          if (lt === start) {
            this.state = State.TagOpen;
            continue;
          }
          return this.emit('DATA_TEXT', start, lt - start, State.TagOpen);
        }

        case State.TagOpen: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (c === 0x21) {
            this.pos++;
            this.state = State.MarkupDeclaration;
          } else if (c === 0x2f) {
            this.pos++;
            this.isClose = true;
            this.state = State.EndTagOpen;
          } else if (c === 0x3f) {
            this.pos++;
            this.state = State.BogusComment;
          } else if (c === 0x25) {
            this.pos++;
            this.state = State.BogusComment2;
          } else if (isAsciiLetter(c) || c === 0) {
            this.state = State.TagName;
          } else {
            // Not a tag: the `<` is text and the data state resumes after it.
            return this.emit('DATA_TEXT', this.pos - 1, 1, State.Data);
          }
          continue;
        }

        case State.EndTagOpen: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (c === 0x3e) {
            this.state = State.Data;
          } else if (isAsciiLetter(c)) {
            this.state = State.TagName;
          } else {
            this.isClose = false;
            this.state = State.BogusComment;
          }
          continue;
        }

        case State.TagName: {
          const start = this.pos;
          for (let i = start; i < len; i++) {
            const c = s.charCodeAt(i);
            if (c === 0) continue;
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('TAG_NAME_OPEN', start, i - start, State.BeforeAttrName);
            }
            if (c === 0x2f) {
              this.pos = i + 1;
              return this.emit('TAG_NAME_OPEN', start, i - start, State.SelfClosing);
            }
            if (c === 0x3e) {
              if (this.isClose) {
                this.pos = i + 1;
                this.isClose = false;
                return this.emit('TAG_CLOSE', start, i - start, State.Data);
              }
              this.pos = i;
              return this.emit('TAG_NAME_OPEN', start, i - start, State.TagNameClose);
            }
          }
          this.pos = len;
          return this.emit('TAG_NAME_OPEN', start, len - start, State.Eof);
        }

        case State.TagNameClose: {
          this.isClose = false;
          const at = this.pos;
          this.pos++;
          return this.emit('TAG_NAME_CLOSE', at, 1, this.pos >= len ? State.Eof : State.Data);
        }

        case State.BeforeAttrName: {
          const c = this.skipWhite();
          if (c < 0) return false;
          if (c === 0x2f) {
            this.pos++;
            if (this.pos < len && s.charCodeAt(this.pos) !== 0x3e) continue;
            this.state = State.SelfClosing;
            continue;
          }
          if (c === 0x3e) {
            const at = this.pos;
            this.pos++;
            return this.emit('TAG_NAME_CLOSE', at, 1, State.Data);
          }
          this.state = State.AttrName;
          continue;
        }

        case State.AttrName: {
          const start = this.pos;
          for (let i = start + 1; i < len; i++) {
            const c = s.charCodeAt(i);
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, State.AfterAttrName);
            }
            if (c === 0x2f) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, State.SelfClosing);
            }
            if (c === 0x3d) {
              this.pos = i + 1;
              return this.emit('ATTR_NAME', start, i - start, State.BeforeAttrValue);
            }
            if (c === 0x3e) {
              this.pos = i;
              return this.emit('ATTR_NAME', start, i - start, State.TagNameClose);
            }
          }
          this.pos = len;
          return this.emit('ATTR_NAME', start, len - start, State.Eof);
        }

        case State.AfterAttrName: {
          const c = this.skipWhite();
          if (c < 0) return false;
          if (c === 0x2f) {
            this.pos++;
            this.state = State.SelfClosing;
          } else if (c === 0x3d) {
            this.pos++;
            this.state = State.BeforeAttrValue;
          } else if (c === 0x3e) {
            this.state = State.TagNameClose;
          } else {
            this.state = State.AttrName;
          }
          continue;
        }

        case State.BeforeAttrValue: {
          const c = this.skipWhite();
          if (c < 0) {
            this.state = State.Eof;
            return false;
          }
          if (c === 0x22) this.state = State.ValueDoubleQuote;
          else if (c === 0x27) this.state = State.ValueSingleQuote;
          else if (c === 0x60) this.state = State.ValueBackQuote;
          else this.state = State.ValueNoQuote;
          continue;
        }

        case State.ValueDoubleQuote:
          return this.quotedValue('"');
        case State.ValueSingleQuote:
          return this.quotedValue("'");
        case State.ValueBackQuote:
          return this.quotedValue('`');

        case State.ValueNoQuote: {
          const start = this.pos;
          for (let i = start; i < len; i++) {
            const c = s.charCodeAt(i);
            if (isHtmlWhite(c)) {
              this.pos = i + 1;
              return this.emit('ATTR_VALUE', start, i - start, State.BeforeAttrName);
            }
            if (c === 0x3e) {
              this.pos = i;
              return this.emit('ATTR_VALUE', start, i - start, State.TagNameClose);
            }
          }
          this.pos = len;
          return this.emit('ATTR_VALUE', start, len - start, State.Eof);
        }

        case State.AfterValueQuoted: {
          if (this.pos >= len) return false;
          const c = s.charCodeAt(this.pos);
          if (isHtmlWhite(c)) {
            this.pos++;
            this.state = State.BeforeAttrName;
          } else if (c === 0x2f) {
            this.pos++;
            this.state = State.SelfClosing;
          } else if (c === 0x3e) {
            const at = this.pos;
            this.pos++;
            return this.emit('TAG_NAME_CLOSE', at, 1, State.Data);
          } else {
            this.state = State.BeforeAttrName;
          }
          continue;
        }

        case State.SelfClosing: {
          if (this.pos >= len) return false;
          if (s.charCodeAt(this.pos) !== 0x3e) {
            this.state = State.BeforeAttrName;
            continue;
          }
          const at = this.pos - 1;
          this.pos++;
          return this.emit('TAG_NAME_SELFCLOSE', at, 2, State.Data);
        }

        case State.BogusComment: {
          const start = this.pos;
          const gt = s.indexOf('>', start);
          if (gt < 0) {
            this.pos = len;
            return this.emit('TAG_COMMENT', start, len - start, State.Eof);
          }
          this.pos = gt + 1;
          return this.emit('TAG_COMMENT', start, gt - start, State.Data);
        }

        case State.BogusComment2: {
          // `<% ... %>`
          const start = this.pos;
          const end = s.indexOf('%>', start);
          if (end < 0) {
            this.pos = len;
            return this.emit('TAG_COMMENT', start, len - start, State.Eof);
          }
          this.pos = end + 2;
          return this.emit('TAG_COMMENT', start, end - start, State.Data);
        }

        case State.MarkupDeclaration: {
          const p = this.pos;
          if (len - p >= 7 && asciiUpper(s.substr(p, 7)) === 'DOCTYPE') {
            this.state = State.Doctype;
          } else if (len - p >= 7 && s.startsWith('[CDATA[', p)) {
            this.pos += 7;
            this.state = State.Cdata;
          } else if (len - p >= 2 && s.charCodeAt(p) === 0x2d && s.charCodeAt(p + 1) === 0x2d) {
            this.pos += 2;
            this.state = State.Comment;
          } else {
            this.state = State.BogusComment;
          }
          continue;
        }

        case State.Comment:
          return this.comment();

        case State.Cdata: {
          const start = this.pos;
          const end = s.indexOf(']]>', start);
          if (end < 0) {
            this.pos = len;
            return this.emit('DATA_TEXT', start, len - start, State.Eof);
          }
          this.pos = end + 3;
          return this.emit('DATA_TEXT', start, end - start, State.Data);
        }

        case State.Doctype: {
          const start = this.pos;
          const gt = s.indexOf('>', start);
          if (gt < 0) {
            this.pos = len;
            return this.emit('DOCTYPE', start, len - start, State.Eof);
          }
          this.pos = gt + 1;
          return this.emit('DOCTYPE', start, gt - start, State.Data);
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
      return this.emit('ATTR_VALUE', start, this.len - start, State.Eof);
    }
    this.pos = end + 1;
    return this.emit('ATTR_VALUE', start, end - start, State.AfterValueQuoted);
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
      return this.emit('TAG_COMMENT', start, dash - start, State.Data);
    }
    this.pos = len;
    return this.emit('TAG_COMMENT', start, len - start, State.Eof);
  }
}
