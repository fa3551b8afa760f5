import { defineOperator } from './types';
import { atoll } from './numeric';

/**
 * Matches when the input, read as an integer, is greater than or equal to the macro-expanded argument.
 * Both sides are read with C `atoll` like ModSecurity v3: leading integer, no digits gives 0.
 * @example SecRule TX:BLOCKING_INBOUND_ANOMALY_SCORE "@ge %{tx.inbound_anomaly_score_threshold}" "id:949110,phase:2,deny"
 */
export const ge = defineOperator({
  name: 'ge',
  compile(argument, ctx) {
    const operand = ctx.macro(argument);
    const constant = operand.constant === undefined ? undefined : atoll(operand.constant);
    return (input, run) => atoll(input) >= (constant ?? atoll(operand.expand(run)));
  },
});
