import { defineAction } from './types';

/**
 * The revision of the rule; shown in logs.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,rev:2,pass"
 */
export const rev = defineAction({
  name: 'rev',
  apply(node, rule) {
    rule.rev = node.value ?? '';
  },
});
