import { defineAction } from './types';

/**
 * Runs the operator after every transformation that changed the value, not only on the final value.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,t:urlDecode,t:lowercase,multiMatch,pass"
 */
export const multiMatch = defineAction({
  name: 'multiMatch',
  apply(_node, rule) {
    rule.multiMatch = true;
  },
});
