import { defineAction } from './types';

/**
 * Joins the next rule to this one: the chain matches only when every rule in it matches. The parser links the rules; nothing is left to do here.
 * @example SecRule REQUEST_METHOD "@streq POST" "id:1,phase:2,deny,chain"
 *  SecRule &ARGS "@eq 0"
 */
export const chain = defineAction({
  name: 'chain',
  apply(_node, _rule) {
    // The parser attaches the next rule as `chained`.
  },
});
