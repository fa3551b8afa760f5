import { defineAction, requireValue } from './types';

/**
 * The maturity of the rule, 1 (experimental) to 9 (tested); shown in logs.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,maturity:9,pass"
 */
export const maturity = defineAction({
  name: 'maturity',
  apply(node, rule) {
    const n = Number(requireValue(node));
    if (!Number.isInteger(n) || n < 0 || n > 9) throw new Error(`maturity must be an integer 0-9, got '${node.value}'`);
    rule.maturity = n;
  },
});
