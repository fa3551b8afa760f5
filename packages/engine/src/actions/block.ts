import { defineAction } from './types';

/**
 * Takes the disruptive action of the SecDefaultAction of the rule's phase (pass, deny, ...).
 * @example SecDefaultAction "phase:2,log,auditlog,deny"
 *  SecRule ARGS "@rx x" "id:1,phase:2,block"
 */
export const block = defineAction({
  name: 'block',
  apply(_node, rule) {
    rule.disruptive = 'block';
  },
});
