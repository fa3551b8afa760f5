import type { SourceLocation } from '@rampart/seclang';
import type { Check } from '../types';
import { ruleId } from './rule-id';

/** `line 3:12` in the same file (short, and independent of how the file was named), else `file:3:12`. */
function where(loc: SourceLocation, from: SourceLocation): string {
  return loc.file === from.file ? `line ${loc.line}:${loc.column}` : `${loc.file}:${loc.line}:${loc.column}`;
}

export const duplicateId: Check = {
  name: 'duplicate-id',
  meta: {
    severity: 'error',
    docs: 'Two rules with the same id: ModSecurity refuses the second one. The message names the first.',
    engineMessages: [/^duplicate rule id /],
    crsLinterNames: ['duplicated'],
  },
  check(ctx) {
    const first = new Map<number, SourceLocation>();
    for (const { rule, position } of ctx.rules) {
      if (position > 0) continue;
      const id = ruleId(rule);
      if (id === undefined) continue;
      const loc = rule.actions.find((a) => a.name === 'id')?.loc ?? rule.loc;
      const seen = first.get(id);
      if (seen === undefined) first.set(id, loc);
      else ctx.report(loc, `duplicate id ${id}, first used at ${where(seen, loc)}`, { related: [{ message: `id ${id} first used here`, loc: seen }] });
    }
  },
};
