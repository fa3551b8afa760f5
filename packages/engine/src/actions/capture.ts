import { defineAction } from './types';

/**
 * Stores the operator's captures in TX:0-TX:9 (regex groups; the matched text for @pm and friends).
 * @example SecRule ARGS "@rx (\d+)" "id:1,phase:2,capture,setvar:tx.n=%{tx.1},pass"
 */
export const capture = defineAction({
  name: 'capture',
  apply(_node, rule) {
    rule.capture = true;
  },
});
