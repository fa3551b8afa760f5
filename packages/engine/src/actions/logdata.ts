import { defineAction } from './types';

/**
 * Data logged with the match (truncated to 200 bytes in the log line); macros are expanded.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,capture,logdata:'Matched Data: %{TX.0}',pass"
 */
export const logdata = defineAction({
  name: 'logdata',
  apply(node, rule, ctx) {
    rule.logdata = ctx.macro(node.macro ?? { text: node.value ?? '', parts: [node.value ?? ''] });
  },
});
