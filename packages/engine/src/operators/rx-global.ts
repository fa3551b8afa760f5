import { defineOperator, withLocator, type OperatorRunContext } from './types';
import { storeGroups } from './captures';
import { regexSource } from './rx';
import { backtrackingBudgetMs, matchWithinBudget, type CompiledRegex } from './regex';

function scanAll(re: CompiledRegex, input: string, run: OperatorRunContext): boolean {
  let matched = false;
  const captures = run.captures;
  re.scan(input, (m) => {
    matched = true;
    if (captures === null) return true;
    storeGroups(captures, m);
    return false;
  });
  if (re.limitExceeded === true) run.regexLimitExceeded?.();
  return matched;
}

/**
 * Like `@rx`, but looks for every match in the input (ModSecurity v3 only): with `capture`, the groups of
 * each successive match are stored in turn, so TX:0-TX:9 hold those of the last match.
 * @example SecRule ARGS "@rxGlobal (\d{3})-(\d{4})" "id:101,phase:2,capture,pass,log,logdata:'%{TX.1}'"
 */
export const rxGlobal = defineOperator({
  name: 'rxGlobal',
  compile(argument, ctx) {
    const source = regexSource(argument, '@rxGlobal', ctx);
    if (source.constantEmpty) return () => true;
    const budgetMs = backtrackingBudgetMs(ctx);
    return withLocator(
      (input, run) => {
        const re = source.get(run);
        if (re === undefined) return false;
        return re.engine === 're2' ? scanAll(re, input, run) : matchWithinBudget(run, budgetMs, () => scanAll(re, input, run));
      },
      (input, run) => {
        // The groups of every match, in turn (ModSecurity v3 logs them all).
        const re = source.get(run);
        const spans: number[] = [];
        if (re === undefined) return spans;
        for (let from = 0; from <= input.length; ) {
          const found = re.spans(input, from);
          if (found === null) break;
          spans.push(...found);
          const end = found[0]! + found[1]!;
          from = found[1] === 0 ? end + 1 : end;
        }
        return spans;
      },
    );
  },
});
