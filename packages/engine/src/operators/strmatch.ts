import { defineOperator } from './types';

/**
 * Matches when the macro-expanded argument occurs in the input (case-sensitive substring search; ModSecurity
 * v3 implements it exactly like `@contains`, without capture). An empty argument matches every input.
 * @example SecRule REQUEST_HEADERS:User-Agent "@strmatch WebZIP" "id:154,phase:1,deny"
 */
export const strmatch = defineOperator({
  name: 'strmatch',
  compile(argument, ctx) {
    const needle = ctx.macro(argument);
    const constant = needle.constant;
    if (constant !== undefined) return (input) => input.includes(constant);
    return (input, run) => input.includes(needle.expand(run));
  },
});
