import { defineAction, requireValue } from './types';

/**
 * The confidence of the rule, 1 (low) to 9 (high); shown in logs.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,accuracy:8,pass"
 */
export const accuracy = defineAction({
  name: 'accuracy',
  apply(node, rule) {
    const n = Number(requireValue(node));
    if (!Number.isInteger(n) || n < 0 || n > 9) throw new Error(`accuracy must be an integer 0-9, got '${node.value}'`);
    rule.accuracy = n;
  },
});
