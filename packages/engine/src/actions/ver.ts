import { defineAction } from './types';

/**
 * The version of the rule set the rule belongs to; shown in logs.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,ver:'OWASP_CRS/4.28.0',pass"
 */
export const ver = defineAction({
  name: 'ver',
  apply(node, rule) {
    rule.ver = node.value ?? '';
  },
});
