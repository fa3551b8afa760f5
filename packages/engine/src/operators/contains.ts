import { defineOperator, NO_SPANS, withLocator } from './types';

/**
 * Matches when the macro-expanded argument occurs anywhere in the input (case-sensitive). An empty argument
 * matches every input. With `capture`, TX:0 is the argument.
 * @example SecRule RESPONSE_BODY "@contains <title>Index of" "id:151,phase:4,capture,deny"
 */
export const contains = defineOperator({
  name: 'contains',
  compile(argument, ctx) {
    const needle = ctx.macro(argument);
    return withLocator(
      (input, run) => {
        const text = needle.constant ?? needle.expand(run);
        if (!input.includes(text)) return false;
        if (run.captures !== null) run.captures[0] = text;
        return true;
      },
      (input, run) => {
        const text = needle.constant ?? needle.expand(run);
        const at = input.indexOf(text);
        return at < 0 ? NO_SPANS : [at, text.length];
      },
    );
  },
});
