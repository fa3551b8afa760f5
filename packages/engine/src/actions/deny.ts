import { defineAction } from './types';

/**
 * Stops the transaction with the status of `status` (default 403).
 * @example SecRule ARGS "@rx x" "id:1,phase:2,deny,status:403"
 */
export const deny = defineAction({
  name: 'deny',
  apply(_node, rule) {
    rule.disruptive = 'deny';
  },
});
