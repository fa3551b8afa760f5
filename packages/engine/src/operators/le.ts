import { defineOperator } from './types';
import { atoll } from './numeric';

/**
 * Matches when the input, read as an integer, is less than or equal to the macro-expanded argument. Both
 * sides are read with C `atoll` like ModSecurity v3: leading integer, no digits gives 0.
 * @example SecRule RESPONSE_STATUS "@le 399" "id:157,phase:3,pass,nolog"
 */
export const le = defineOperator({
  name: 'le',
  compile(argument, ctx) {
    const operand = ctx.macro(argument);
    const constant = operand.constant === undefined ? undefined : atoll(operand.constant);
    return (input, run) => atoll(input) <= (constant ?? atoll(operand.expand(run)));
  },
});
