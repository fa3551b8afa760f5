import { defineAction } from './types';

/**
 * Continues with the next rule after a match (no interruption).
 * @example SecRule ARGS "@rx x" "id:1,phase:2,pass"
 */
export const pass = defineAction({
  name: 'pass',
  apply(_node, rule) {
    rule.disruptive = 'pass';
  },
});
