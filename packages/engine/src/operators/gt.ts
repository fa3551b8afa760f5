import { defineOperator } from './types';
import { atoll } from './numeric';

/**
 * Matches when the input, read as an integer, is greater than the macro-expanded argument. Both sides are
 * read with C `atoll` like ModSecurity v3: leading integer, no digits gives 0.
 * @example SecRule &ARGS "@gt %{tx.max_num_args}" "id:920380,phase:2,block"
 */
export const gt = defineOperator({
  name: 'gt',
  compile(argument, ctx) {
    const operand = ctx.macro(argument);
    const constant = operand.constant === undefined ? undefined : atoll(operand.constant);
    return (input, run) => atoll(input) > (constant ?? atoll(operand.expand(run)));
  },
});
