import { catalog } from '@rampart/seclang';
import type { SourceLocation } from '@rampart/seclang';
import { lintSeverity } from '../context';
import type { Check } from '../types';
import { allActions } from '../walk';

/** `inner` starts inside `outer` or right after its last character (where an empty value is located). */
function near(inner: SourceLocation, outer: SourceLocation): boolean {
  if (inner.file !== outer.file) return false;
  const startsAfterOuterStart = inner.line > outer.line || (inner.line === outer.line && inner.column >= outer.column);
  const startsBeforeOuterEnd = inner.line < outer.endLine || (inner.line === outer.endLine && inner.column <= outer.endColumn + 1);
  return startsAfterOuterStart && startsBeforeOuterEnd;
}

export const unknownTransformation: Check = {
  name: 'unknown-transformation',
  meta: {
    severity: 'error',
    docs: 'A `t:` transformation that no SecLang engine knows.',
    parserCodes: ['unknown-transformation'],
    engineMessages: [/^unknown transformation /],
  },
  check(ctx) {
    const actions = allActions(ctx.ast).filter((a) => a.name === 't');
    // `t:` with no name is action-value's finding ("'t' needs a value"), not an unknown transformation ''.
    const empty = actions.filter((a) => (a.value ?? '').trim() === '');
    for (const d of ctx.parserDiagnostics) {
      if (d.code !== 'unknown-transformation') continue;
      if (!empty.some((a) => near(d.loc, a.loc))) ctx.report(d.loc, d.message, { severity: lintSeverity(d) });
    }
    for (const a of actions) {
      if (a.value === undefined || a.value.trim() === '') continue;
      if (catalog.findTransformation(a.value) === undefined && !ctx.parserReported('unknown-transformation', a.loc)) {
        ctx.report(a.loc, `unknown transformation '${a.value}'`);
      }
    }
  },
};
