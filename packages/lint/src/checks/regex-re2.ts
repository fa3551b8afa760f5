import RE2 = require('re2');
import { catalog } from '@rampart/seclang';
import type { SourceLocation } from '@rampart/seclang';
import type { Check, CheckContext } from '../types';
import { allVariables } from '../walk';

/** RE2 messages for PCRE constructs RE2 leaves out on purpose (lookaround, backreferences, possessive quantifiers). */
const PCRE_ONLY = /invalid perl operator|invalid escape sequence: \\[1-9]|bad repetition operator: [*+?}]\+/;

/**
 * Compiles a pattern the way the engine does (RE2, flags `s` and `m`). Patterns are latin1 strings, one char
 * per byte, which is what the parser produces, so the result matches the engine's.
 */
export function re2Error(pattern: string): string | undefined {
  try {
    new RE2(pattern, 'sm');
    return undefined;
  } catch (e) {
    // Not `instanceof Error`: the addon's errors may come from another realm (test runners).
    const message = typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : undefined;
    // node-re2 passes the `m` flag as a `(?m)` prefix, which then shows in its messages: the author never wrote it.
    return (typeof message === 'string' ? message : String(e)).replace(/: \(\?m\)/, ': ');
  }
}

function checkPattern(ctx: CheckContext, pattern: string, loc: SourceLocation, what: string): void {
  const message = re2Error(pattern);
  if (message === undefined) return;
  if (PCRE_ONLY.test(message)) {
    ctx.report(loc, `RE2 cannot compile ${what}: ${message} (a PCRE-only construct; the engine falls back to a backtracking regex)`, {
      severity: 'warning',
    });
  } else {
    ctx.report(loc, `invalid regex in ${what}: ${message}`);
  }
}

export const regexRe2: Check = {
  name: 'regex-re2',
  meta: {
    severity: 'error',
    docs:
      'Regexes of regex operators (@rx, @rxGlobal, @verifyCC...), of `:/regex/` selectors and of regex settings ' +
      '(SecAuditLogRelevantStatus) are compiled with RE2 ' +
      'as the engine compiles them. A syntax error is an error; a PCRE-only construct (lookaround, ' +
      'backreference) is a warning because the engine falls back to a slower backtracking engine.',
  },
  check(ctx) {
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      const op = rule.operator;
      const info = catalog.findOperator(op.name);
      if (info?.regex !== true) continue;
      // A pattern with macros is only known at run time.
      if (op.argumentMacro.parts.some((p) => typeof p !== 'string')) continue;
      checkPattern(ctx, op.argument, op.loc, `@${op.name}`);
    }
    for (const d of ctx.ast.directives) {
      const first = d.kind === 'Setting' ? d.args[0] : undefined;
      if (first !== undefined && catalog.findDirective(d.name)?.argKind === 'regex') checkPattern(ctx, first, d.loc, d.name);
    }
    for (const v of allVariables(ctx.ast)) {
      if (v.selector?.kind === 'regex') checkPattern(ctx, v.selector.pattern, v.loc, `the selector of ${v.rawName}`);
    }
  },
};
