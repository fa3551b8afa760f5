import { catalog } from '@rampart/seclang';
import type { SourceLocation } from '@rampart/seclang';
import type { Check, EngineProblem } from '../types';

const sameStart = (a: SourceLocation, b: SourceLocation) => a.file === b.file && a.line === b.line && a.column === b.column;

/**
 * What the engine does with each regex: the regex operators (@rx, @rxGlobal, @verifyCC...), `:/regex/`
 * selectors and SecAuditLogRelevantStatus are compiled by the engine's own compiler, and its verdict is
 * reported in its words: RE2 compiles most patterns; one RE2 cannot compile runs in the engine's backtracking
 * fallback (a load warning naming the construct), and one no engine path can run is a load error.
 */
export const regexRe2: Check = {
  name: 'regex-re2',
  meta: {
    severity: 'error',
    docs:
      'Regexes (@rx and the other regex operators, `:/regex/` selectors, SecAuditLogRelevantStatus) as the ' +
      'engine compiles them: a pattern no engine path can run is an error; one RE2 cannot compile, which runs in ' +
      'the backtracking fallback, is a warning; the messages are the engine\'s.',
  },
  check(ctx) {
    const operatorSites: SourceLocation[] = [];
    const selectorRules: SourceLocation[] = [];
    for (const { rule } of ctx.rules) {
      if (rule.kind !== 'SecRule') continue;
      if (catalog.findOperator(rule.operator.name)?.regex === true) operatorSites.push(rule.operator.loc);
      if (rule.variables.some((v) => v.selector?.kind === 'regex')) selectorRules.push(rule.loc);
    }
    const settingSites = ctx.ast.directives.filter((d) => d.kind === 'Setting' && catalog.findDirective(d.name)?.argKind === 'regex').map((d) => d.loc);
    for (const d of ctx.ast.directives) {
      if (d.kind === 'RuleUpdateTarget' && d.variables.some((v) => v.selector?.kind === 'regex')) selectorRules.push(d.loc);
    }
    const isRegexProblem = (p: EngineProblem): boolean => {
      const loc = p.loc;
      if (loc === undefined) return false;
      if (operatorSites.some((s) => sameStart(s, loc))) return true;
      if (/regular expression \//.test(p.message) && selectorRules.some((s) => sameStart(s, loc))) return true;
      return settingSites.some((s) => sameStart(s, loc));
    };
    const { errors, warnings } = ctx.engine();
    for (const e of errors) if (isRegexProblem(e)) ctx.report(e.loc as SourceLocation, e.message);
    for (const w of warnings) if (isRegexProblem(w)) ctx.report(w.loc as SourceLocation, w.message, { severity: 'warning' });
  },
};
