import { defineOperator } from './types';
import { storeGroups } from './captures';
import { regexSource } from './rx';

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
    return (input, run) => {
      const re = source.get(run);
      if (re === undefined) return false;
      let from = 0;
      let matched = false;
      // At most input.length + 1 iterations: every round moves `from` forward by at least one.
      while (from <= input.length) {
        const m = re.exec(input, from);
        if (m === null) break;
        matched = true;
        if (run.captures === null) break;
        storeGroups(run.captures, m);
        const end = m.index + (m[0] ?? '').length;
        from = end > m.index ? end : m.index + 1;
      }
      return matched;
    };
  },
});
