import { defineAction, requireValue } from './types';

/**
 * Answers with a redirect to the URL (macros expanded); the status is 302 unless `status` says 301, 303 or 307.
 * @example SecRule ARGS "@rx attack" "id:1,phase:2,redirect:'https://example.com/blocked'"
 */
export const redirect = defineAction({
  name: 'redirect',
  apply(node, rule, ctx) {
    const url = requireValue(node);
    rule.disruptive = 'redirect';
    rule.redirect = ctx.macro(node.macro ?? { text: url, parts: [url] });
  },
});
