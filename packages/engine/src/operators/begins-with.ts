import { defineOperator, withLocator } from './types';

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
    // ModSecurity v3 places the match at the start, as long as the prefix.
    if (constant !== undefined) return withLocator((input) => input.startsWith(constant), () => [0, constant.length]);
    return withLocator(
      (input, run) => input.startsWith(prefix.expand(run)),
      (_input, run) => [0, prefix.expand(run).length],
    );
  },
});

