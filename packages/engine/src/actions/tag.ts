import { defineAction } from './types';

/**
 * Adds a tag (category) to the rule; `ctl:ruleRemoveByTag` and exclusions select rules by tag.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,tag:'attack-sqli',pass"
 */
export const tag = defineAction({
  name: 'tag',
  apply(node, rule) {
    rule.tags.push(node.value ?? '');
  },
});
