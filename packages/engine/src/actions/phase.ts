import { defineAction, requireValue } from './types';
import { parsePhase } from './values';

/**
 * The phase the rule runs in: 1 request headers, 2 request body, 3 response headers, 4 response body, 5 logging (or `request`, `response`, `logging`).
 * @example SecRule ARGS "@rx x" "id:1,phase:2,pass"
 */
export const phase = defineAction({
  name: 'phase',
  apply(node, rule) {
    rule.phase = parsePhase(requireValue(node));
  },
});
