import { lookupWord } from './sqli-keywords';
import { SqliToken, TOKEN_VALUE_MAX } from './sqli-token';
import type { SqliTokenizer } from './sqli-tokenizer';

let foldBudgetExhausted = 0;

/** How many folds ran out of their iteration budget since start-up (expected: always 0). */
export function foldBudgetExhaustions(): number {
  return foldBudgetExhausted;
}

/** Most tokens a fingerprint has. */
export const MAX_FOLDED_TOKENS = 5;
/** Slots of the folding array: 5 results, look-ahead and room for the fill loops. */
export const TOKEN_SLOTS = 8;

function isUnary(t: SqliToken): boolean {
  if (t.type !== 'o') return false;
  switch (t.len) {
    case 1:
      return t.val === '+' || t.val === '-' || t.val === '!' || t.val === '~';
    case 2:
      return t.val === '!!';
    case 3:
      return t.val.toUpperCase() === 'NOT';
    default:
      return false;
  }
}

function isArithmetic(t: SqliToken): boolean {
  return t.type === 'o' && t.len === 1 && '*/-+%'.includes(t.val);
}

const MERGE_LEFT = 'knoUfETt';
const MERGE_RIGHT = 'knoUfETt&';

/** `UNION` + `ALL` -> `UNION ALL` when the joined phrase is a known keyword. */
function mergeWords(a: SqliToken, b: SqliToken): boolean {
  if (!MERGE_LEFT.includes(a.type) || !MERGE_RIGHT.includes(b.type)) return false;
  const len = a.len + b.len + 1;
  if (len > TOKEN_VALUE_MAX) return false;
  const phrase = `${a.val} ${b.val}`;
  const type = lookupWord(phrase);
  if (type === '') return false;
  a.type = type;
  a.len = len;
  a.val = phrase;
  return true;
}

const FUNCTION_LIKE_NAMES = new Set([
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
]);

function ciEquals(val: string, upper: string): boolean {
  return val.length === upper.length && val.toUpperCase() === upper;
}

function is(t: SqliToken, types: string): boolean {
  return t.type !== '' && types.includes(t.type);
}

/**
 * libinjection's folder: tokenizes `tokenizer` into `tokens` (at least {@link TOKEN_SLOTS} slots) and
 * collapses sub-expressions so that at most 5 tokens remain; returns how many. The rules work on the
 * array (`pos` = tokens held, `left` = tokens final) and "drop k" truncates from the end, which is
 * not the same as removing the middle token when more than three are held; that is reproduced.
 */
export function foldTokens(tokenizer: SqliTokenizer, tokens: SqliToken[]): number {
  const T = (i: number): SqliToken => tokens[i] as SqliToken;
  const lastComment = new SqliToken();
  let pos = 0;
  let left = 0;
  let more = true;

  // A leading comment, `(`, type name or unary operator says nothing about the shape.
  while (more) {
    more = tokenizer.next(T(0));
    const t = T(0);
    if (!(t.type === 'c' || t.type === '(' || t.type === 't' || isUnary(t))) break;
  }
  if (!more) return 0;
  pos = 1;

  const fill = (want: number): void => {
    while (more && pos <= MAX_FOLDED_TOKENS && pos - left < want) {
      const cur = T(pos);
      more = tokenizer.next(cur);
      if (more) {
        if (cur.type === 'c') {
          lastComment.copyFrom(cur);
        } else {
          lastComment.type = '';
          pos++;
        }
      }
    }
  };

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
    if (pos >= MAX_FOLDED_TOKENS) {
      const t0 = T(0).type;
      const t1 = T(1).type;
      const t2 = T(2).type;
      const t3 = T(3).type;
      const t4 = T(4).type;
      if (
        (t0 === '1' && (t1 === 'o' || t1 === ',') && t2 === '(' && t3 === '1' && t4 === ')') ||
        (t0 === 'n' && t1 === 'o' && t2 === '(' && (t3 === 'n' || t3 === '1') && t4 === ')') ||
        (t0 === '1' && t1 === ')' && t2 === ',' && t3 === '(' && t4 === '1') ||
        (t0 === 'n' && t1 === ')' && t2 === 'o' && t3 === '(' && t4 === 'n')
      ) {
        if (pos > MAX_FOLDED_TOKENS) {
          T(1).copyFrom(T(5));
          pos = 2;
        } else {
          pos = 1;
        }
        left = 0;
      }
    }

    if (!more || left >= MAX_FOLDED_TOKENS) {
      left = pos;
      break;
    }

    fill(2);
    if (pos - left < 2) {
      left = pos;
      continue;
    }

    const a = T(left);
    const b = T(left + 1);
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
    } else if (a.type === ';' && b.type === 'f' && b.val.length >= 2 && b.val.slice(0, 2).toUpperCase() === 'IF') {
      // `;IF(...)` starts a T-SQL statement rather than calling a function.
      b.type = 'T';
      continue;
    } else if ((a.type === 'n' || a.type === 'v') && b.type === '(' && FUNCTION_LIKE_NAMES.has(a.val.toUpperCase())) {
      a.type = 'f';
      continue;
    } else if (a.type === 'k' && (ciEquals(a.val, 'IN') || ciEquals(a.val, 'NOT IN'))) {
      a.type = b.type === '(' ? 'o' : 'n';
      continue;
    } else if (a.type === 'o' && (ciEquals(a.val, 'LIKE') || ciEquals(a.val, 'NOT LIKE'))) {
      if (b.type === '(') a.type = 'f';
    } else if (a.type === 't' && is(b, 'n1t(fvs')) {
      a.copyFrom(b);
      pos -= 1;
      left = 0;
      continue;
    } else if (a.type === 'A' && b.type === 'n') {
      if (b.val.includes('_')) {
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

    fill(3);
    if (pos - left < 3) {
      left = pos;
      continue;
    }

    const a3 = T(left);
    const b3 = T(left + 1);
    const c3 = T(left + 2);
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
    } else if (a3.type === 'v' && b3.type === 'o' && is(c3, 'v1n')) {
      pos -= 2;
      left = 0;
      continue;
    } else if (is(a3, 'n1') && b3.type === 'o' && is(c3, '1n')) {
      pos -= 2;
      left = 0;
      continue;
    } else if (is(a3, 'n1vs') && b3.type === 'o' && b3.val === '::' && c3.type === 't') {
      pos -= 2;
      left = 0;
      continue;
    } else if (is(a3, 'n1sv') && b3.type === ',' && is(c3, '1nsv')) {
      pos -= 2;
      left = 0;
      continue;
    } else if (is(a3, 'EB,') && isUnary(b3) && c3.type === '(') {
      b3.copyFrom(c3);
      pos -= 1;
      left = 0;
      continue;
    } else if (is(a3, 'kEB') && isUnary(b3) && is(c3, '1nvsf')) {
      b3.copyFrom(c3);
      pos -= 1;
      left = 0;
      continue;
    } else if (a3.type === ',' && isUnary(b3) && is(c3, '1nvs')) {
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
      if (ciEquals(a3.val, 'USER')) a3.type = 'n';
    }

    left += 1;
  }

  if (left < MAX_FOLDED_TOKENS && lastComment.type === 'c') {
    T(left).copyFrom(lastComment);
    left += 1;
  }
  if (left > MAX_FOLDED_TOKENS) left = MAX_FOLDED_TOKENS;
  return left;
}
