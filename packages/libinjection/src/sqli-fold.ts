import { lookupPhrase } from './sqli-keywords';
import { SqliToken, TOKEN_VALUE_MAX } from './sqli-token';
import type { SqliTokenizer } from './sqli-tokenizer';

let foldBudgetExhausted = 0;

/** How many folds ran out of their iteration budget since start-up (expected: always 0). */
export function foldBudgetExhaustions(): number {
  return foldBudgetExhausted;
}

// The hot loops use the module-local name: the CommonJS output reads an exported constant from
// `exports` at every use.
const MAX_FOLDED = 5;
/** Most tokens a fingerprint has. */
export const MAX_FOLDED_TOKENS = MAX_FOLDED;
/** Slots of the folding array: 5 results, look-ahead and room for the fill loops. */
export const TOKEN_SLOTS = 8;

function isUnary(t: SqliToken): boolean {
  if (t.type !== 'o') return false;
  switch (t.len) {
    case 1: {
      if (t.valLen !== 1) return false;
      const c = t.valCode(0);
      return c === 0x2b || c === 0x2d || c === 0x21 || c === 0x7e;
    }
    case 2:
      return t.valEquals('!!');
    case 3:
      return t.valEqualsCi('NOT');
    default:
      return false;
  }
}

function isArithmetic(t: SqliToken): boolean {
  if (t.type !== 'o' || t.len !== 1) return false;
  // `String#includes('')` is true: an empty value counts, as it did when this compared strings.
  if (t.valLen === 0) return true;
  if (t.valLen !== 1) return false;
  const c = t.valCode(0);
  return c === 0x2a || c === 0x2f || c === 0x2d || c === 0x2b || c === 0x25;
}

// Sets of token types as bit masks: the rules test membership constantly, and a table read and a
// mask are cheaper than `String#includes`.
const TYPE_BIT = new Int32Array(128);
let typeBits = 0;

function typeSet(types: string): number {
  let mask = 0;
  for (let i = 0; i < types.length; i++) {
    const c = types.charCodeAt(i);
    if (TYPE_BIT[c] === 0) {
      if (typeBits === 31) throw new Error('libinjection folder: too many token types in sets');
      TYPE_BIT[c] = 1 << typeBits++;
    }
    mask |= TYPE_BIT[c] as number;
  }
  return mask;
}

/** Whether the token's (one-byte) type is in `set`; never for the empty type. */
function is(t: SqliToken, set: number): boolean {
  const c = t.type.charCodeAt(0);
  return c < 128 && ((TYPE_BIT[c] as number) & set) !== 0;
}

const MERGE_LEFT = typeSet('knoUfETt');
const MERGE_RIGHT = typeSet('knoUfETt&');
const SET_AFTER_TYPE = typeSet('n1t(fvs');
const SET_V1N = typeSet('v1n');
const SET_N1 = typeSet('n1');
const SET_1N = typeSet('1n');
const SET_N1VS = typeSet('n1vs');
const SET_1NVS = typeSet('1nvs');
const SET_1NVSF = typeSet('1nvsf');
const SET_EB_COMMA = typeSet('EB,');
const SET_KEB = typeSet('kEB');

/** `UNION` + `ALL` -> `UNION ALL` when the joined phrase is a known keyword. */
function mergeWords(a: SqliToken, b: SqliToken): boolean {
  // An empty type counted as a member when these were strings (`'...'.includes('')`).
  if ((a.type !== '' && !is(a, MERGE_LEFT)) || (b.type !== '' && !is(b, MERGE_RIGHT))) return false;
  const len = a.len + b.len + 1;
  if (len > TOKEN_VALUE_MAX) return false;
  const type = lookupPhrase(a.valSrc, a.valStart, a.valLen, b.valSrc, b.valStart, b.valLen);
  if (type === '') return false;
  a.val = `${a.val} ${b.val}`;
  a.type = type;
  a.len = len;
  return true;
}

const FUNCTION_LIKE_NAMES: readonly string[] = [
  'USER_ID',
  'USER_NAME',
  'DATABASE',
  'PASSWORD',
  'USER',
  'CURRENT_USER',
  'CURRENT_DATE',
  'CURRENT_TIME',
  'CURRENT_TIMESTAMP',
  'LOCALTIME',
  'LOCALTIMESTAMP',
];

/**
 * Whether the value is one of the names above, ignoring ASCII case only (ALGORITHM.md: case folding is
 * ASCII-only). `String#toUpperCase` would turn a latin1 `ß` into `SS` and read `paßword(` as `PASSWORD(`,
 * which libinjection does not.
 */
function isFunctionLikeName(t: SqliToken): boolean {
  for (const name of FUNCTION_LIKE_NAMES) if (t.valEqualsCi(name)) return true;
  return false;
}


/**
 * libinjection's folder: tokenizes `tokenizer` into `tokens` (at least {@link TOKEN_SLOTS} slots) and
 * collapses sub-expressions so that at most 5 tokens remain; returns how many. The rules work on the
 * array (`pos` = tokens held, `left` = tokens final) and "drop k" truncates from the end, which is
 * not the same as removing the middle token when more than three are held; that is reproduced.
 */
export function foldTokens(tokenizer: SqliTokenizer, tokens: SqliToken[]): number {
  // A tokenizer that folds again from inside `next` gets a folder of its own.
  return FOLDER.busy ? new Folder().run(tokenizer, tokens) : FOLDER.run(tokenizer, tokens);
}

/**
 * The folding state of one call. A single instance serves every call (folding is synchronous),
 * which spares a closure and a token per call; {@link run} resets all of it.
 */
class Folder {
  private tokenizer: SqliTokenizer | undefined;
  private tokens: SqliToken[] = [];
  private readonly lastComment = new SqliToken();
  private more = true;
  busy = false;

  /** Reads tokens until `want` are held after `left` (comments aside); returns the new `pos`. */
  private fill(pos: number, left: number, want: number): number {
    const { tokenizer, tokens, lastComment } = this;
    if (tokenizer === undefined) return pos;
    let p = pos;
    while (this.more && p <= MAX_FOLDED && p - left < want) {
      const cur = tokens[p] as SqliToken;
      this.more = tokenizer.next(cur);
      if (this.more) {
        if (cur.type === 'c') {
          lastComment.copyFrom(cur);
        } else {
          lastComment.type = '';
          p++;
        }
      }
    }
    return p;
  }

  run(tokenizer: SqliTokenizer, tokens: SqliToken[]): number {
    this.tokenizer = tokenizer;
    this.tokens = tokens;
    this.lastComment.clear();
    this.more = true;
    this.busy = true;
    try {
      return this.fold(tokenizer, tokens);
    } finally {
      this.busy = false;
      this.tokenizer = undefined;
      this.tokens = NO_TOKENS;
      this.lastComment.release();
    }
  }

  private fold(tokenizer: SqliTokenizer, tokens: SqliToken[]): number {
    const lastComment = this.lastComment;
    let pos = 0;
    let left = 0;

    // A leading comment, `(`, type name or unary operator says nothing about the shape.
    while (this.more) {
      this.more = tokenizer.next(at(tokens, 0));
      const t = at(tokens, 0);
      if (!(t.type === 'c' || t.type === '(' || t.type === 't' || isUnary(t))) break;
    }
    if (!this.more) return 0;
    pos = 1;

    // Every iteration consumes input, shrinks `pos`, raises `left` or retypes a token so that its rule
    // cannot fire again, so the loop ends. The budget is only a backstop so that hostile input can
    // never hang a request; the tests check it is never exhausted.
    let budget = 64 * (tokenizer.slen + 8);
    for (;;) {
      if (--budget < 0) {
        foldBudgetExhausted++;
        left = pos;
        break;
      }
      if (pos >= MAX_FOLDED) {
        const t0 = at(tokens, 0).type;
        const t1 = at(tokens, 1).type;
        const t2 = at(tokens, 2).type;
        const t3 = at(tokens, 3).type;
        const t4 = at(tokens, 4).type;
        if (
          (t0 === '1' && (t1 === 'o' || t1 === ',') && t2 === '(' && t3 === '1' && t4 === ')') ||
          (t0 === 'n' && t1 === 'o' && t2 === '(' && (t3 === 'n' || t3 === '1') && t4 === ')') ||
          (t0 === '1' && t1 === ')' && t2 === ',' && t3 === '(' && t4 === '1') ||
          (t0 === 'n' && t1 === ')' && t2 === 'o' && t3 === '(' && t4 === 'n')
        ) {
          if (pos > MAX_FOLDED) {
            at(tokens, 1).copyFrom(at(tokens, 5));
            pos = 2;
          } else {
            pos = 1;
          }
          left = 0;
        }
      }

      if (!this.more || left >= MAX_FOLDED) {
        left = pos;
        break;
      }

      pos = this.fill(pos, left, 2);
      if (pos - left < 2) {
        left = pos;
        continue;
      }

      const a = at(tokens, left);
      const b = at(tokens, left + 1);
      if (a.type === 's' && b.type === 's') {
        pos -= 1;
        continue;
      } else if (a.type === ';' && b.type === ';') {
        pos -= 1;
        continue;
      } else if ((a.type === 'o' || a.type === '&') && (isUnary(b) || b.type === 't')) {
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type === '(' && isUnary(b)) {
        pos -= 1;
        if (left > 0) left -= 1;
        continue;
      } else if (mergeWords(a, b)) {
        pos -= 1;
        if (left > 0) left -= 1;
        continue;
      } else if (a.type === ';' && b.type === 'f' && b.valStartsWithCi('IF')) {
        // `;IF(...)` starts a T-SQL statement rather than calling a function.
        b.type = 'T';
        continue;
      } else if ((a.type === 'n' || a.type === 'v') && b.type === '(' && isFunctionLikeName(a)) {
        a.type = 'f';
        continue;
      } else if (a.type === 'k' && (a.valEqualsCi('IN') || a.valEqualsCi('NOT IN'))) {
        a.type = b.type === '(' ? 'o' : 'n';
        continue;
      } else if (a.type === 'o' && (a.valEqualsCi('LIKE') || a.valEqualsCi('NOT LIKE'))) {
        if (b.type === '(') a.type = 'f';
      } else if (a.type === 't' && is(b, SET_AFTER_TYPE)) {
        a.copyFrom(b);
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type === 'A' && b.type === 'n') {
        if (b.valIncludes(0x5f)) {
          b.type = 't';
          left = 0;
        }
      } else if (a.type === '\\') {
        if (isArithmetic(b)) {
          a.type = '1';
        } else {
          a.copyFrom(b);
          pos -= 1;
        }
        left = 0;
        continue;
      } else if (a.type === '(' && b.type === '(') {
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type === ')' && b.type === ')') {
        pos -= 1;
        left = 0;
        continue;
      } else if (a.type === '{' && b.type === 'n') {
        // `{ident ...}` is an ODBC escape; an empty one cannot be parsed by anyone.
        if (b.len === 0) {
          b.type = 'X';
          return left + 2;
        }
        pos -= 2;
        left = 0;
        continue;
      } else if (b.type === '}') {
        pos -= 1;
        left = 0;
        continue;
      }

      pos = this.fill(pos, left, 3);
      if (pos - left < 3) {
        left = pos;
        continue;
      }

      const a3 = at(tokens, left);
      const b3 = at(tokens, left + 1);
      const c3 = at(tokens, left + 2);
      if (a3.type === '1' && b3.type === 'o' && c3.type === '1') {
        pos -= 2;
        left = 0;
        continue;
      } else if (a3.type === 'o' && b3.type !== '(' && c3.type === 'o') {
        pos -= 2;
        left = 0;
        continue;
      } else if (a3.type === '&' && c3.type === '&') {
        pos -= 2;
        left = 0;
        continue;
      } else if (a3.type === 'v' && b3.type === 'o' && is(c3, SET_V1N)) {
        pos -= 2;
        left = 0;
        continue;
      } else if (is(a3, SET_N1) && b3.type === 'o' && is(c3, SET_1N)) {
        pos -= 2;
        left = 0;
        continue;
      } else if (is(a3, SET_N1VS) && b3.type === 'o' && b3.valEquals('::') && c3.type === 't') {
        pos -= 2;
        left = 0;
        continue;
      } else if (is(a3, SET_N1VS) && b3.type === ',' && is(c3, SET_1NVS)) {
        pos -= 2;
        left = 0;
        continue;
      } else if (is(a3, SET_EB_COMMA) && isUnary(b3) && c3.type === '(') {
        b3.copyFrom(c3);
        pos -= 1;
        left = 0;
        continue;
      } else if (is(a3, SET_KEB) && isUnary(b3) && is(c3, SET_1NVSF)) {
        b3.copyFrom(c3);
        pos -= 1;
        left = 0;
        continue;
      } else if (a3.type === ',' && isUnary(b3) && is(c3, SET_1NVS)) {
        b3.copyFrom(c3);
        pos -= 3;
        left = 0;
        continue;
      } else if (a3.type === ',' && isUnary(b3) && c3.type === 'f') {
        b3.copyFrom(c3);
        pos -= 1;
        left = 0;
        continue;
      } else if (a3.type === 'n' && b3.type === '.' && c3.type === 'n') {
        pos -= 2;
        left = 0;
        continue;
      } else if (a3.type === 'E' && b3.type === '.' && c3.type === 'n') {
        b3.copyFrom(c3);
        pos -= 1;
        left = 0;
        continue;
      } else if (a3.type === 'f' && b3.type === '(' && c3.type !== ')') {
        // `USER(` followed by an argument is a name, not MySQL's USER() function.
        if (a3.valEqualsCi('USER')) a3.type = 'n';
      }

      left += 1;
    }

    if (left < MAX_FOLDED && lastComment.type === 'c') {
      at(tokens, left).copyFrom(lastComment);
      left += 1;
    }
    if (left > MAX_FOLDED) left = MAX_FOLDED;
    return left;
  }
}

function at(tokens: SqliToken[], i: number): SqliToken {
  return tokens[i] as SqliToken;
}

const NO_TOKENS: SqliToken[] = [];
const FOLDER = new Folder();
