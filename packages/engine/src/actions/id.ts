import { defineAction, requireValue } from './types';

/**
 * The rule's unique id (1-4294967295). Only the first rule of a chain has one.
 * @example SecRule ARGS "@rx x" "id:1000,phase:2,pass"
 */
export const id = defineAction({
  name: 'id',
  apply(node, rule) {
    const text = requireValue(node);
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || n < 1 || n > 4294967295) throw new Error(`id must be an integer 1-4294967295, got '${text}'`);
    rule.id = n;
  },
});
