import { defineOperator, NO_SPANS, withLocator } from './types';

/** ModSecurity treats only ASCII letters as word characters here: digits and `_` are boundaries. */
function isBoundary(input: string, pos: number): boolean {
  if (pos < 0 || pos >= input.length) return false;
  const c = input.charCodeAt(pos);
  return !((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
}

const NOT_FOUND = -1;
const WHOLE = -2;

/** Where `w` occurs as a whole word in `input`; WHOLE when it matches without a position; NOT_FOUND. */
function wordAt(input: string, w: string): number {
  if (w === '') return WHOLE;
  if (input === '') return NOT_FOUND;
  if (input === w) return WHOLE;
  let pos = input.indexOf(w);
  while (pos >= 0) {
    const end = pos + w.length;
    if (pos === 0 && isBoundary(input, end)) return pos;
    if (end === input.length && isBoundary(input, pos - 1)) return pos;
    if (isBoundary(input, pos - 1) && isBoundary(input, end)) return pos;
    pos = input.indexOf(w, pos + 1);
  }
  return NOT_FOUND;
}

/**
 * Matches when the macro-expanded argument occurs in the input as a whole word: at the start or end of the
 * input or next to a character that is not an ASCII letter (ModSecurity v3 semantics). An empty argument
 * matches everything; an empty input matches nothing else. With `capture`, TX:0 is the word.
 * @example SecRule ARGS "@containsWord select" "id:152,phase:2,capture,deny"
 */
export const containsWord = defineOperator({
  name: 'containsWord',
  compile(argument, ctx) {
    const word = ctx.macro(argument);
    return withLocator(
      (input, run) => {
        const w = word.constant ?? word.expand(run);
        if (wordAt(input, w) === NOT_FOUND) return false;
        if (run.captures !== null) run.captures[0] = w;
        return true;
      },
      (input, run) => {
        const w = word.constant ?? word.expand(run);
        const at = wordAt(input, w);
        // An empty word, or an input that is the word, matches without a position (ModSecurity v3 logs none).
        return at < 0 ? NO_SPANS : [at, w.length];
      },
    );
  },
});
