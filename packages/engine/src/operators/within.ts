import { defineOperator } from './types';

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
    return (input, run) => {
      if (input === '') return true;
      const nul = input.indexOf('\0');
      const needle = nul < 0 ? input : input.slice(0, nul);
      const text = haystack.constant ?? haystack.expand(run);
      if (!text.includes(needle)) return false;
      if (run.captures !== null) run.captures[0] = needle;
      return true;
    };
  },
});
