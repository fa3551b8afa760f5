import { defineOperator, NO_SPANS, withLocator } from './types';

/**
 * Matches when the input is found inside the macro-expanded argument: a substring search, so `@within
 * GET POST` also matches `ET P` (ModSecurity v3). An empty input always matches. Like ModSecurity, only
 * the part of the input before a NUL byte is searched. With `capture`, TX:0 is the input.
 * @example SecRule REQUEST_METHOD "!@within %{tx.allowed_methods}" "id:911100,phase:1,block"
 */
export const within = defineOperator({
  name: 'within',
  compile(argument, ctx) {
    const haystack = ctx.macro(argument);
    const needleOf = (input: string): string => {
      const nul = input.indexOf('\0');
      return nul < 0 ? input : input.slice(0, nul);
    };
    return withLocator(
      (input, run) => {
        if (input === '') return true;
        const needle = needleOf(input);
        const text = haystack.constant ?? haystack.expand(run);
        if (!text.includes(needle)) return false;
        if (run.captures !== null) run.captures[0] = needle;
        return true;
      },
      (input, run) => {
        if (input === '') return NO_SPANS;
        // ModSecurity v3 logs where the input sits in the argument, with the input's length.
        const at = (haystack.constant ?? haystack.expand(run)).indexOf(needleOf(input));
        return at < 0 ? NO_SPANS : [at, input.length];
      },
    );
  },
});
