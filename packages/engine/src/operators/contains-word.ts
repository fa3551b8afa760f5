import { defineOperator } from './types';

/** ModSecurity treats only ASCII letters as word characters here: digits and `_` are boundaries. */
function isBoundary(input: string, pos: number): boolean {
  if (pos < 0 || pos >= input.length) return false;
  const c = input.charCodeAt(pos);
  return !((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
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
    const found = (input: string, w: string): boolean => {
      if (w === '') return true;
      if (input === '') return false;
      if (input === w) return true;
      let pos = input.indexOf(w);
      while (pos >= 0) {
        const end = pos + w.length;
        if (pos === 0 && isBoundary(input, end)) return true;
        if (end === input.length && isBoundary(input, pos - 1)) return true;
        if (isBoundary(input, pos - 1) && isBoundary(input, end)) return true;
        pos = input.indexOf(w, pos + 1);
      }
      return false;
    };
    return (input, run) => {
      const w = word.constant ?? word.expand(run);
      if (!found(input, w)) return false;
      if (run.captures !== null) run.captures[0] = w;
      return true;
    };
  },
});
