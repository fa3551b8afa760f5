import { defineAction, requireValue } from './types';

/**
 * Adds a transformation to the rule's chain; `t:none` drops every transformation before it (including the
 * ones inherited from SecDefaultAction).
 * @example SecRule ARGS "@rx <script" "id:1,phase:2,t:none,t:urlDecodeUni,t:lowercase,deny"
 */
export const t = defineAction({
  name: 't',
  apply(node, rule, ctx) {
    const name = requireValue(node);
    if (name.toLowerCase() === 'none') {
      rule.transformations = [];
      rule.transformationNames = [];
      return;
    }
    const def = ctx.findTransformation(name);
    if (!def) throw new Error(`unknown transformation '${name}'`);
    rule.transformations.push(def);
    (rule.transformationNames ??= []).push(name);
  },
});
