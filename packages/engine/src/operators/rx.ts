import type { MacroString } from '@rampart/seclang';
import { defineOperator, NO_SPANS, withLocator, type MacroScope, type OperatorCompileContext } from './types';
import { storeGroups } from './captures';
import { backtrackingBudgetMs, compileRegex, matchWithinBudget, tryCompileRe2, type CompiledRegex } from './regex';
import type { OperatorRunContext } from './types';

/** Run-time patterns (built from macros) are compiled once per distinct text, up to this many. */
const RUNTIME_CACHE_LIMIT = 256;

/**
 * Builds the per-value regex lookup shared by `@rx` and `@rxGlobal`: a compiled pattern when the argument
 * is constant, else a small cache of RE2 patterns compiled from the expanded text (a pattern that does not
 * compile at run time never matches).
 */
export function regexSource(
  argument: MacroString,
  operatorName: string,
  ctx: OperatorCompileContext,
): { constantEmpty: boolean; get(scope: MacroScope): CompiledRegex | undefined } {
  const text = ctx.macro(argument);
  if (text.constant !== undefined) {
    const compiled = text.constant === '' ? undefined : compileRegex(text.constant, operatorName, ctx);
    return { constantEmpty: text.constant === '', get: () => compiled };
  }
  const cache = new Map<string, CompiledRegex | undefined>();
  return {
    constantEmpty: false,
    get(scope) {
      const pattern = text.expand(scope);
      if (cache.has(pattern)) return cache.get(pattern);
      const compiled = tryCompileRe2(pattern);
      if (cache.size >= RUNTIME_CACHE_LIMIT) cache.clear();
      cache.set(pattern, compiled);
      return compiled;
    },
  };
}

function matchRx(re: CompiledRegex, input: string, run: OperatorRunContext): boolean {
  // RE2 answers test() with its fast DFA; exec() needs the slower submatch engines, so only a value
  // that matches pays for group extraction (most values do not match).
  if (!re.test(input)) {
    if (re.limitExceeded === true) run.regexLimitExceeded?.();
    return false;
  }
  if (run.captures === null) return true;
  const m = re.exec(input);
  if (m === null) return false;
  storeGroups(run.captures, m);
  return true;
}

/**
 * Matches when the regular expression (PCRE syntax, run by RE2 with DOTALL and MULTILINE) matches anywhere
 * in the input. With `capture`, groups 0-9 go to TX:0-TX:9. An empty pattern always matches (ModSecurity
 * v3); macros in the pattern are expanded at run time.
 * @example SecRule REQUEST_HEADERS:User-Agent "@rx ^(?i)nikto/(\d+)" "id:100,phase:1,capture,deny,msg:'Nikto %{TX.1}'"
 */
export const rx = defineOperator({
  name: 'rx',
  compile(argument, ctx) {
    const source = regexSource(argument, '@rx', ctx);
    if (source.constantEmpty) return () => true;
    const budgetMs = backtrackingBudgetMs(ctx);
    return withLocator(
      (input, run) => {
        const re = source.get(run);
        if (re === undefined) return false;
        return re.engine === 're2' ? matchRx(re, input, run) : matchWithinBudget(run, budgetMs, () => matchRx(re, input, run));
      },
      // ModSecurity v3 logs every group that took part in the match, the whole match first.
      (input, run) => source.get(run)?.spans(input) ?? NO_SPANS,
    );
  },
});
