import { defineOperator } from './types';

/**
 * Matches when the input equals the macro-expanded argument exactly (case-sensitive, byte for byte).
 * With `capture`, TX:0 is the input.
 * @example SecRule REQUEST_METHOD "@streq POST" "id:153,phase:1,pass,nolog,setvar:tx.post=1"
 */
export const streq = defineOperator({
  name: 'streq',
  compile(argument, ctx) {
    const expected = ctx.macro(argument);
    return (input, run) => {
      if (input !== (expected.constant ?? expected.expand(run))) return false;
      if (run.captures !== null) run.captures[0] = input;
      return true;
    };
  },
});
