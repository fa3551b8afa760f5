import { defineAction, requireValue } from './types';

/**
 * The HTTP status a deny (or redirect) answers with.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,deny,status:406"
 */
export const status = defineAction({
  name: 'status',
  apply(node, rule) {
    const text = requireValue(node);
    const n = Number(text);
    if (!/^[0-9]{3}$/.test(text) || n < 100 || n > 599) throw new Error(`status must be an HTTP status 100-599, got '${text}'`);
    rule.status = n;
  },
});
