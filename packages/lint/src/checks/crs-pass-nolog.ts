import type { Check } from '../types';

/**
 * A rule that passes logs each match to the error log, where nobody acts on it; CRS rules that pass say
 * `nolog` (scores are logged once, by the blocking evaluation). Write `#crs-linter:ignore:pass_nolog` (or
 * `#rampart-lint:ignore:crs-pass-nolog`) above a rule meant to log, as CRS does for its sampling and
 * reporting rules. crs-linter's `pass_nolog`.
 */
export const crsPassNolog: Check = {
  name: 'crs-pass-nolog',
  meta: {
    severity: 'error',
    docs: 'A rule with `pass` but without `nolog`: CRS rules that do not block do not log.',
    profiles: ['crs'],
    crsLinterNames: ['pass_nolog'],
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      const pass = rule.actions.find((a) => a.name === 'pass');
      if (pass !== undefined && !rule.actions.some((a) => a.name === 'nolog')) ctx.report(pass.loc, "'pass' without 'nolog': the rule logs every match it lets through");
    }
  },
};
