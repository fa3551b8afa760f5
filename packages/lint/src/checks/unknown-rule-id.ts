import type { IdRange, SourceLocation } from '@rampart/seclang';
import type { Check } from '../types';
import { ruleId } from './rule-id';

/**
 * SecRuleRemoveById, SecRuleUpdateTargetById and SecRuleUpdateActionById name rules by id. A single id that
 * no linted rule has is most often a typo or an exclusion left behind after a rule set update, and the
 * directive then does nothing. Ranges are not checked (`1-999999` is a legitimate "everything"), and only the
 * linted files are searched, so an exclusion file linted without its rule set warns.
 */
export const unknownRuleId: Check = {
  name: 'unknown-rule-id',
  meta: {
    severity: 'warning',
    docs: 'SecRuleRemoveById / SecRuleUpdateTargetById / SecRuleUpdateActionById naming an id that no linted rule has: the directive does nothing.',
    engineMessages: [/: no rule has id /],
    wholeRuleSet: true,
  },
  check(ctx) {
    const known = new Set<number>();
    for (const { rule, position } of ctx.rules) {
      const id = position === 0 ? ruleId(rule) : undefined;
      if (id !== undefined) known.add(id);
    }
    const verify = (name: string, ids: readonly IdRange[] | undefined, loc: SourceLocation) => {
      for (const r of ids ?? []) {
        if (r.from === r.to && !known.has(r.from)) ctx.report(loc, `${name}: no rule with id ${r.from} in the linted files`);
      }
    };
    for (const d of ctx.ast.directives) {
      if (d.kind === 'RuleRemove' && d.by === 'id') verify(d.name, d.ids, d.loc);
      else if (d.kind === 'RuleUpdateTarget' && d.by === 'id') verify(d.name, d.ids, d.loc);
      else if (d.kind === 'RuleUpdateAction') verify(d.name, d.ids, d.loc);
    }
  },
};
