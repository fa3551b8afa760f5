import { defineAction } from './types';

/**
 * The message logged when the rule matches; macros are expanded.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,msg:'Attack in %{MATCHED_VAR_NAME}',pass"
 */
export const msg = defineAction({
  name: 'msg',
  apply(node, rule, ctx) {
    rule.msg = ctx.macro(node.macro ?? { text: node.value ?? '', parts: [node.value ?? ''] });
  },
});
