import { defineAction, requireValue } from './types';

/**
 * After a match, skips the next N rules (or chains) of the phase.
 * @example SecRule REQUEST_METHOD "@streq GET" "id:1,phase:1,pass,nolog,skip:2"
 */
export const skip = defineAction({
  name: 'skip',
  apply(node, rule) {
    const text = requireValue(node);
    const n = Number(text);
    if (!/^[0-9]+$/.test(text) || n < 1) throw new Error(`skip needs a positive integer, got '${text}'`);
    rule.skip = n;
  },
});
