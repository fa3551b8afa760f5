import type { SourceLocation } from '@rampart/seclang';
import type { Check } from '../types';

/**
 * Lint = load: lint compiles the configuration with the engine's own compiler, and every error the engine
 * raises at load (a regex no engine path runs, `@ipMatch 999.1.1.1`, `setvar:foo.bar=1`, an unreadable data
 * file...) is a lint error with the engine's location and words; its load warnings are warnings. A problem
 * another check already reported in the same words at the same place is reported once, by that check.
 */
export const engineLoad: Check = {
  name: 'engine-load',
  meta: {
    severity: 'error',
    docs:
      'Everything the engine says when it loads the configuration (lint runs its compiler): each load error as an ' +
      'error and each load warning as a warning, with the engine\'s location and words.',
  },
  check(ctx) {
    const { errors, warnings } = ctx.engine();
    const first = ctx.ast.files[0] ?? ctx.ast.directives[0]?.loc.file ?? '<input>';
    const nowhere: SourceLocation = { file: first, line: 1, column: 1, endLine: 1, endColumn: 1 };
    for (const e of errors) ctx.report(e.loc ?? nowhere, e.message);
    for (const w of warnings) ctx.report(w.loc ?? nowhere, w.message, { severity: 'warning' });
  },
};
