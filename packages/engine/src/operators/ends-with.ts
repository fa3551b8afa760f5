import { defineOperator, withLocator } from './types';

/**
 * Matches when the input ends with the macro-expanded argument (case-sensitive). An empty argument
 * matches every input, as in ModSecurity.
 * @example SecRule REQUEST_FILENAME "@endsWith .pdf" "id:150,phase:1,pass,nolog,setvar:tx.pdf=1"
 */
export const endsWith = defineOperator({
  name: 'endsWith',
  compile(argument, ctx) {
    const suffix = ctx.macro(argument);
    const constant = suffix.constant;
    if (constant !== undefined) return withLocator((input) => input.endsWith(constant), (input) => [input.length - constant.length, constant.length]);
    return withLocator(
      (input, run) => input.endsWith(suffix.expand(run)),
      (input, run) => {
        const text = suffix.expand(run);
        return [input.length - text.length, text.length];
      },
    );
  },
});
