import { defineAction } from './types';

/**
 * Stops the transaction and closes the connection (connectors without a socket answer like deny).
 * @example SecRule ARGS "@rx x" "id:1,phase:2,drop"
 */
export const drop = defineAction({
  name: 'drop',
  apply(_node, rule) {
    rule.disruptive = 'drop';
  },
});
