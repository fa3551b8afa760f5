import { defineOperator } from './types';
import { atoll } from './numeric';

/**
 * Matches when the input, read as an integer, is less than the macro-expanded argument. Both sides are read
 * with C `atoll` like ModSecurity v3: leading integer, no digits gives 0.
 * @example SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:911013,phase:1,pass,nolog,skipAfter:END-REQUEST-911"
 */
export const lt = defineOperator({
  name: 'lt',
  compile(argument, ctx) {
    const operand = ctx.macro(argument);
    const constant = operand.constant === undefined ? undefined : atoll(operand.constant);
    return (input, run) => atoll(input) < (constant ?? atoll(operand.expand(run)));
  },
});
