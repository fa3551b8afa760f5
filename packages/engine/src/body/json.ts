import type { Arg } from './urlencoded';

/**
 * The JSON request-body processor, re-implemented to give exactly what ModSecurity v3 gives with YAJL
 * (`src/request_body_processor/json.cc` + YAJL 2's lexer and parser), without recursion and without JSON.parse:
 * duplicate keys all become arguments, numbers keep their text, and bytes are latin1.
 *
 * **Argument names** (v3's scheme; keys are used raw, never escaped):
 * - A scalar is named by the path of its containers followed by its own key. Every container contributes its name
 *   followed by `.` for an object, or by `.array_<index>` for an array (the index of the element being parsed).
 * - The outermost container is named `json`, so `{"a":1}` gives `json.a`=`1`, `[1,2]` gives `json.array_0`=`1`,
 *   `json.array_1`=`2`, and a top-level scalar `"x"` gives `json`=`x`.
 * - A container inside an object takes its key as name: `{"a":{"b":1}}` -> `json.a.b`; `{"a":[1,2]}` ->
 *   `json.a.array_0`, `json.a.array_1`.
 * - A container inside an array has an empty name: `{"a":[{"b":1}]}` -> `json.a.array_0.b`, `[[1]]` ->
 *   `json.array_0.array_0`.
 * - The empty key `""` becomes `empty-key`: `{"":1}` -> `json.empty-key`.
 * - Empty objects and arrays give no argument.
 * - Values: strings decoded (`\uXXXX` to UTF-8 bytes, surrogate pairs combined the YAJL way, a lone high surrogate
 *   becomes `?`), numbers as written (`1.50e3` stays `1.50e3`), `true`, `false`, and `null` as the empty string.
 *
 * **Errors** (REQBODY_ERROR_MSG = `JSON parsing error: ` + YAJL's message, which ends with a newline), e.g.
 * `parse error: premature EOF`, `parse error: trailing garbage`, `lexical error: invalid char in json text.`,
 * `lexical error: invalid bytes in UTF8 string.` (YAJL validates UTF-8). Arguments parsed before the error are
 * kept. Going over `depthLimit` (SecRequestBodyJsonDepthLimit; YAJL's callback cancels) gives
 * `parse error: client cancelled parse via callback return value\n. Parsing depth limit exceeded`; going over
 * `argumentsLimit` (SecArgumentsLimit) cancels the same way without the suffix. An empty body is no error.
 *
 * @example SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,pass,nolog,ctl:requestBodyProcessor=JSON"
 */
export interface JsonOptions {
  /** SecRequestBodyJsonDepthLimit; ModSecurity v3's default is 10000. */
  readonly depthLimit?: number;
  /** How many more arguments may be added (SecArgumentsLimit minus ARGS already present). */
  readonly argumentsLimit?: number;
}

export interface JsonResult {
  readonly args: Arg[];
  /** REQBODY_ERROR_MSG when REQBODY_ERROR = 1. */
  readonly error?: string;
  readonly depthLimitExceeded: boolean;
  readonly argumentsLimitExceeded: boolean;
}

export const JSON_DEFAULT_DEPTH_LIMIT = 10000;

const enum State {
  Start,
  ParseComplete,
  MapStart,
  MapNeedKey,
  MapSep,
  MapNeedVal,
  MapGotVal,
  ArrayStart,
  ArrayNeedVal,
  ArrayGotVal,
}

const enum Tok {
  Eof,
  Error,
  Bool,
  Null,
  Colon,
  Comma,
  LeftBrace,
  RightBrace,
  LeftBracket,
  RightBracket,
  Number,
  String,
}

interface Container {
  readonly isArray: boolean;
  /** Path of the parent (at the time this container opened) followed by this container's name. */
  readonly head: string;
  counter: number;
}

const LEX_ERRORS = {
  invalidUtf8: 'invalid bytes in UTF8 string.',
  invalidEscape: "inside a string, '\\' occurs before a character which it may not.",
  invalidJsonChar: 'invalid character inside string.',
  invalidHex: "invalid (non-hex) character occurs after '\\u' inside string.",
  invalidChar: 'invalid char in json text.',
  invalidString: 'invalid string in json text.',
  exponent: 'malformed number, a digit is required after the exponent.',
  decimal: 'malformed number, a digit is required after the decimal point.',
  minus: 'malformed number, a digit is required after the minus sign.',
  comment: 'probable comment found in input text, comments are not enabled.',
} as const;

/** Parses a JSON body (latin1 string) into ARGS. Never throws; time and memory are linear in the body. */
export function parseJson(body: string, options: JsonOptions = {}): JsonResult {
  return new JsonBodyParser(body, options).run();
}

class JsonBodyParser {
  readonly #s: string;
  readonly #n: number;
  #pos = 0;
  readonly #depthLimit: number;
  readonly #argsLimit: number;
  readonly #args: Arg[] = [];
  readonly #containers: Container[] = [];
  #currentKey = '';
  #depthExceeded = false;
  #argsExceeded = false;
  #tokText = '';
  #tokEscapes = false;
  #lexError = '';

  constructor(body: string, options: JsonOptions) {
    // YAJL's complete_parse feeds one space so that a number at the very end is terminated.
    this.#s = body + ' ';
    this.#n = this.#s.length;
    this.#depthLimit = options.depthLimit ?? JSON_DEFAULT_DEPTH_LIMIT;
    this.#argsLimit = options.argumentsLimit ?? Infinity;
  }

  run(): JsonResult {
    const error = this.#s.length > 1 ? this.#parse() : undefined;
    return {
      args: this.#args,
      ...(error !== undefined ? { error: 'JSON parsing error: ' + error } : {}),
      depthLimitExceeded: this.#depthExceeded,
      argumentsLimitExceeded: this.#argsExceeded,
    };
  }

  /** Returns YAJL's error string, or undefined when the document parsed. */
  #parse(): string | undefined {
    const stack: State[] = [State.Start];
    for (;;) {
      const top = stack.length - 1;
      const state = stack[top] as State;
      switch (state) {
        case State.ParseComplete: {
          if (this.#pos >= this.#n) return undefined;
          const tok = this.#lex();
          if (tok === Tok.Eof) return undefined;
          return 'parse error: trailing garbage\n';
        }
        case State.Start:
        case State.MapNeedVal:
        case State.ArrayNeedVal:
        case State.ArrayStart: {
          const tok = this.#lex();
          let push: State | undefined;
          switch (tok) {
            case Tok.Eof:
              return 'parse error: premature EOF\n';
            case Tok.Error:
              return 'lexical error: ' + this.#lexError + '\n';
            case Tok.String:
              if (!this.#addArgument(this.#tokEscapes ? decodeYajlString(this.#tokText) : this.#tokText)) {
                return this.#cancelled();
              }
              break;
            case Tok.Bool:
            case Tok.Number:
              if (!this.#addArgument(this.#tokText)) return this.#cancelled();
              break;
            case Tok.Null:
              if (!this.#addArgument('')) return this.#cancelled();
              break;
            case Tok.LeftBrace:
              if (!this.#startContainer(false)) return this.#cancelled();
              push = State.MapStart;
              break;
            case Tok.LeftBracket:
              if (!this.#startContainer(true)) return this.#cancelled();
              push = State.ArrayStart;
              break;
            case Tok.RightBracket:
              if (state === State.ArrayStart) {
                this.#endContainer();
                stack.pop();
                continue;
              }
              return 'parse error: unallowed token at this point in JSON text\n';
            default:
              return 'parse error: unallowed token at this point in JSON text\n';
          }
          if (state === State.Start) stack[top] = State.ParseComplete;
          else if (state === State.MapNeedVal) stack[top] = State.MapGotVal;
          else stack[top] = State.ArrayGotVal;
          if (push !== undefined) stack.push(push);
          continue;
        }
        case State.MapStart:
        case State.MapNeedKey: {
          const tok = this.#lex();
          if (tok === Tok.Eof) return 'parse error: premature EOF\n';
          if (tok === Tok.Error) return 'lexical error: ' + this.#lexError + '\n';
          if (tok === Tok.String) {
            this.#currentKey = this.#tokEscapes ? decodeYajlString(this.#tokText) : this.#tokText;
            stack[top] = State.MapSep;
            continue;
          }
          if (tok === Tok.RightBrace && state === State.MapStart) {
            this.#endContainer();
            stack.pop();
            continue;
          }
          return 'parse error: invalid object key (must be a string)\n';
        }
        case State.MapSep: {
          const tok = this.#lex();
          if (tok === Tok.Colon) {
            stack[top] = State.MapNeedVal;
            continue;
          }
          if (tok === Tok.Eof) return 'parse error: premature EOF\n';
          if (tok === Tok.Error) return 'lexical error: ' + this.#lexError + '\n';
          return "parse error: object key and value must be separated by a colon (':')\n";
        }
        case State.MapGotVal: {
          const tok = this.#lex();
          if (tok === Tok.RightBrace) {
            this.#endContainer();
            stack.pop();
            continue;
          }
          if (tok === Tok.Comma) {
            stack[top] = State.MapNeedKey;
            continue;
          }
          if (tok === Tok.Eof) return 'parse error: premature EOF\n';
          if (tok === Tok.Error) return 'lexical error: ' + this.#lexError + '\n';
          return "parse error: after key and value, inside map, I expect ',' or '}'\n";
        }
        case State.ArrayGotVal: {
          const tok = this.#lex();
          if (tok === Tok.RightBracket) {
            this.#endContainer();
            stack.pop();
            continue;
          }
          if (tok === Tok.Comma) {
            stack[top] = State.ArrayNeedVal;
            continue;
          }
          if (tok === Tok.Eof) return 'parse error: premature EOF\n';
          if (tok === Tok.Error) return 'lexical error: ' + this.#lexError + '\n';
          return "parse error: after array element, I expect ',' or ']'\n";
        }
      }
    }
  }

  #cancelled(): string {
    const message = 'parse error: client cancelled parse via callback return value\n';
    return this.#depthExceeded ? message + '. Parsing depth limit exceeded' : message;
  }

  /** v3's getCurrentKey(): the key is consumed, except at the top level where the name is always `json`. */
  #takeKey(): string {
    const top = this.#containers[this.#containers.length - 1];
    if (top === undefined) return 'json';
    if (this.#currentKey.length === 0) return top.isArray ? '' : 'empty-key';
    const key = this.#currentKey;
    this.#currentKey = '';
    return key;
  }

  #path(): string {
    const top = this.#containers[this.#containers.length - 1];
    if (top === undefined) return '';
    return top.isArray ? top.head + '.array_' + top.counter : top.head + '.';
  }

  #addArgument(value: string): boolean {
    const path = this.#path();
    const top = this.#containers[this.#containers.length - 1];
    let name: string;
    if (top !== undefined && top.isArray) {
      name = path;
      top.counter++;
    } else {
      name = path + this.#takeKey();
    }
    if (this.#args.length >= this.#argsLimit) {
      this.#argsExceeded = true;
      return false;
    }
    this.#args.push({ name, value });
    return true;
  }

  #startContainer(isArray: boolean): boolean {
    const name = this.#takeKey();
    const head = this.#path() + name;
    this.#containers.push({ isArray, head, counter: 0 });
    if (this.#containers.length > this.#depthLimit) {
      this.#depthExceeded = true;
      return false;
    }
    return true;
  }

  #endContainer(): void {
    this.#containers.pop();
    const parent = this.#containers[this.#containers.length - 1];
    if (parent !== undefined && parent.isArray) parent.counter++;
  }

  /** YAJL's lexer over the body plus the final space. Sets #tokText for strings, numbers and booleans. */
  #lex(): Tok {
    const s = this.#s;
    const n = this.#n;
    let p = this.#pos;
    while (p < n) {
      const c = s.charCodeAt(p);
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
        p++;
        continue;
      }
      switch (c) {
        case 0x7b:
          this.#pos = p + 1;
          return Tok.LeftBrace;
        case 0x7d:
          this.#pos = p + 1;
          return Tok.RightBrace;
        case 0x5b:
          this.#pos = p + 1;
          return Tok.LeftBracket;
        case 0x5d:
          this.#pos = p + 1;
          return Tok.RightBracket;
        case 0x2c:
          this.#pos = p + 1;
          return Tok.Comma;
        case 0x3a:
          this.#pos = p + 1;
          return Tok.Colon;
        case 0x22:
          return this.#lexString(p + 1);
        case 0x74:
          return this.#lexLiteral(p, 'true', Tok.Bool);
        case 0x66:
          return this.#lexLiteral(p, 'false', Tok.Bool);
        case 0x6e:
          return this.#lexLiteral(p, 'null', Tok.Null);
        case 0x2f:
          this.#pos = p;
          return this.#fail(LEX_ERRORS.comment);
        default:
          if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.#lexNumber(p);
          this.#pos = p;
          return this.#fail(LEX_ERRORS.invalidChar);
      }
    }
    this.#pos = n;
    return Tok.Eof;
  }

  #fail(message: string): Tok {
    this.#lexError = message;
    return Tok.Error;
  }

  #lexLiteral(p: number, word: string, tok: Tok): Tok {
    const s = this.#s;
    for (let k = 1; k < word.length; k++) {
      if (p + k >= this.#n) {
        this.#pos = this.#n;
        return Tok.Eof;
      }
      if (s.charCodeAt(p + k) !== word.charCodeAt(k)) return this.#fail(LEX_ERRORS.invalidString);
    }
    this.#pos = p + word.length;
    this.#tokText = word;
    return tok;
  }

  #lexNumber(start: number): Tok {
    const s = this.#s;
    const n = this.#n;
    let p = start;
    const digit = (k: number): boolean => {
      const c = s.charCodeAt(k);
      return c >= 0x30 && c <= 0x39;
    };
    if (s.charCodeAt(p) === 0x2d) p++;
    if (p >= n) return this.#eof();
    if (s.charCodeAt(p) === 0x30) {
      p++;
    } else if (digit(p)) {
      while (p < n && digit(p)) p++;
    } else {
      return this.#fail(LEX_ERRORS.minus);
    }
    if (p >= n) return this.#eof();
    if (s.charCodeAt(p) === 0x2e) {
      p++;
      const before = p;
      while (p < n && digit(p)) p++;
      if (p >= n) return this.#eof();
      if (p === before) return this.#fail(LEX_ERRORS.decimal);
    }
    const e = s.charCodeAt(p);
    if (e === 0x65 || e === 0x45) {
      p++;
      if (p >= n) return this.#eof();
      const sign = s.charCodeAt(p);
      if (sign === 0x2b || sign === 0x2d) p++;
      if (p >= n) return this.#eof();
      if (!digit(p)) return this.#fail(LEX_ERRORS.exponent);
      while (p < n && digit(p)) p++;
      if (p >= n) return this.#eof();
    }
    this.#tokText = s.slice(start, p);
    this.#pos = p;
    return Tok.Number;
  }

  #eof(): Tok {
    this.#pos = this.#n;
    return Tok.Eof;
  }

  #lexString(start: number): Tok {
    const s = this.#s;
    const n = this.#n;
    let p = start;
    let escapes = false;
    for (;;) {
      if (p >= n) return this.#eof();
      const c = s.charCodeAt(p);
      if (c === 0x22) break;
      if (c === 0x5c) {
        escapes = true;
        p++;
        if (p >= n) return this.#eof();
        const e = s.charCodeAt(p);
        if (e === 0x75) {
          for (let k = 0; k < 4; k++) {
            p++;
            if (p >= n) return this.#eof();
            if (!isHex(s.charCodeAt(p))) return this.#fail(LEX_ERRORS.invalidHex);
          }
          p++;
        } else if (e === 0x22 || e === 0x5c || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e ||
          e === 0x72 || e === 0x74) {
          p++;
        } else {
          return this.#fail(LEX_ERRORS.invalidEscape);
        }
        continue;
      }
      if (c < 0x20) return this.#fail(LEX_ERRORS.invalidJsonChar);
      if (c < 0x80) {
        p++;
        continue;
      }
      const follow = c >> 5 === 0x6 ? 1 : c >> 4 === 0x0e ? 2 : c >> 3 === 0x1e ? 3 : -1;
      if (follow < 0) return this.#fail(LEX_ERRORS.invalidUtf8);
      for (let k = 1; k <= follow; k++) {
        if (p + k >= n) return this.#eof();
        if (s.charCodeAt(p + k) >> 6 !== 0x2) return this.#fail(LEX_ERRORS.invalidUtf8);
      }
      p += follow + 1;
    }
    this.#tokText = s.slice(start, p);
    this.#tokEscapes = escapes;
    this.#pos = p + 1;
    return Tok.String;
  }
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexAt(s: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const c = s.charCodeAt(at + k);
    v = v * 16 + (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57);
  }
  return v;
}

/** YAJL's yajl_string_decode over a lexed string body (escapes already validated), giving latin1 bytes. */
export function decodeYajlString(str: string): string {
  const len = str.length;
  let out = '';
  let beg = 0;
  let end = 0;
  while (end < len) {
    if (str.charCodeAt(end) !== 0x5c) {
      end++;
      continue;
    }
    out += str.slice(beg, end);
    end++;
    const e = str.charCodeAt(end);
    let unescaped = '?';
    switch (e) {
      case 0x72: unescaped = '\r'; break;
      case 0x6e: unescaped = '\n'; break;
      case 0x5c: unescaped = '\\'; break;
      case 0x2f: unescaped = '/'; break;
      case 0x22: unescaped = '"'; break;
      case 0x66: unescaped = '\f'; break;
      case 0x62: unescaped = '\b'; break;
      case 0x74: unescaped = '\t'; break;
      case 0x75: {
        end++;
        let codepoint = hexAt(str, end);
        end += 3;
        let lone = false;
        if ((codepoint & 0xfc00) === 0xd800) {
          end++;
          if (str.charCodeAt(end) === 0x5c && str.charCodeAt(end + 1) === 0x75) {
            const surrogate = hexAt(str, end + 2);
            codepoint = ((codepoint & 0x3f) << 10) | ((((codepoint >> 6) & 0xf) + 1) << 16) | (surrogate & 0x3ff);
            end += 5;
          } else {
            // YAJL emits '?' and, by its index arithmetic, also skips the character after the escape.
            lone = true;
          }
        }
        if (!lone) unescaped = utf32ToUtf8Latin1(codepoint);
        break;
      }
      default:
        break;
    }
    out += unescaped;
    end++;
    beg = end;
  }
  if (beg < len) out += str.slice(beg, end);
  return out;
}

function utf32ToUtf8Latin1(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode((cp >> 6) | 0xc0, (cp & 0x3f) | 0x80);
  if (cp < 0x10000) {
    return String.fromCharCode((cp >> 12) | 0xe0, ((cp >> 6) & 0x3f) | 0x80, (cp & 0x3f) | 0x80);
  }
  if (cp < 0x200000) {
    return String.fromCharCode((cp >> 18) | 0xf0, ((cp >> 12) & 0x3f) | 0x80, ((cp >> 6) & 0x3f) | 0x80,
      (cp & 0x3f) | 0x80);
  }
  return '?';
}
