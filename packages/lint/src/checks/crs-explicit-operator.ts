import type { Check } from '../types';

/**
 * A SecRule whose operator names no `@operator` means `@rx` with the whole text as the pattern. CRS always
 * writes the operator, so that `"index.php"` is not mistaken for a string comparison.
 */
export const crsExplicitOperator: Check = {
  name: 'crs-explicit-operator',
  meta: {
    severity: 'error',
    docs: 'A SecRule without an `@operator` (it means @rx): CRS writes the operator explicitly.',
    profiles: ['crs'],
    fixable: true,
    crsLinterNames: ['ignore_case'],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule' || !rule.operator.implicit) continue;
      const op = rule.operator;
      const source = ctx.source(op.loc.file);
      const start = source?.start(op.loc);
      // The pattern starts after the negation, if any; `@rx ` goes in front of the pattern.
      const at = start === undefined || source === undefined ? undefined : source.text[start] === '!' ? start + 1 : start;
      const fix = at === undefined ? undefined : { file: op.loc.file, edits: [{ start: at, end: at, text: '@rx ' }] };
      ctx.report(op.loc, `no operator: this means @rx ${op.argument}; CRS writes "@rx ..." explicitly`, fix === undefined ? {} : { fix });
    }
  },
};
