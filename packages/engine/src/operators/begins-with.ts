import { defineOperator } from './types';

/**
 * Matches when the input starts with the macro-expanded argument (case-sensitive). An empty argument
 * matches every input, as in ModSecurity.
 * @example SecRule REQUEST_LINE "!@beginsWith GET" "id:149,phase:1,deny"
 */
export const beginsWith = defineOperator({
  name: 'beginsWith',
  compile(argument, ctx) {
    const prefix = ctx.macro(argument);
    const constant = prefix.constant;
    if (constant !== undefined) return (input) => input.startsWith(constant);
    return (input, run) => input.startsWith(prefix.expand(run));
  },
});

