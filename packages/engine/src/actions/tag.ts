import { defineAction } from './types';

/**
 * Adds a tag (category) to the rule; `ctl:ruleRemoveByTag` and exclusions select rules by tag. Macros are
 * expanded when the rule matches (logs and `tx.matchedRules`); removal by tag compares the text as written.
 * @example SecRule ARGS "@rx x" "id:1,phase:2,tag:'attack-sqli',pass"
 */
export const tag = defineAction({
  name: 'tag',
  apply(node, rule, ctx) {
    const text = node.value ?? '';
    rule.tags.push(text);
    const macro = ctx.macro(node.macro ?? { text, parts: [text] });
    // Since ModSecurity 2.6 tags expand macros at match time; keep a compiled list only when one needs it.
    if (macro.constant === undefined || rule.tagMacros) {
      rule.tagMacros ??= rule.tags.slice(0, -1).map((t) => ctx.macro({ text: t, parts: [t] }));
      rule.tagMacros.push(macro);
    }
  },
});
