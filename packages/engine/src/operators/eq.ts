import { defineOperator } from './types';
import { stoi } from './numeric';

/**
 * Matches when the input, read as an integer, equals the macro-expanded argument. Both sides are read like
 * ModSecurity v3 does (`std::stoi`): leading integer, anything else ignored, no digits or out of 32-bit
 * range gives 0.
 * @example SecRule &TX:blocking_paranoia_level "@eq 0" "id:901120,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=1"
 */
export const eq = defineOperator({
  name: 'eq',
  compile(argument, ctx) {
    const operand = ctx.macro(argument);
    const constant = operand.constant === undefined ? undefined : stoi(operand.constant);
    return (input, run) => stoi(input) === (constant ?? stoi(operand.expand(run)));
  },
});
