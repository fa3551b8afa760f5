import type { ParseDiagnosticCode } from '@rampart/seclang';
import { lintSeverity } from '../context';
import type { Check } from '../types';

/**
 * The parser's own diagnostics (syntax errors, unterminated quotes, bad setvar, missing Include files...),
 * except the codes another check owns: those are reported once, by that check. They are errors even where
 * the parser, like libmodsecurity, accepts the text with a warning (only `comment-continuation` stays one).
 */
export function createSyntaxCheck(ownedElsewhere: ReadonlySet<ParseDiagnosticCode>): Check {
  return {
    name: 'syntax',
    meta: {
      severity: 'error',
      docs: 'Problems the SecLang parser found: ModSecurity would refuse to load the file.',
    },
    check(ctx) {
      for (const d of ctx.parserDiagnostics) {
        if (ownedElsewhere.has(d.code as ParseDiagnosticCode)) continue;
        ctx.report(d.loc, d.message, { severity: lintSeverity(d) });
      }
    },
  };
}
