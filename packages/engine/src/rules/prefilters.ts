import type { CompileMemo } from '../compile-memo/compile-memo';
import type { Frozen } from '../compile-memo/frozen';
import { withPcreSpaces } from '../operators/regex';
import { freezePrefilter, thawPrefilter } from '../prefilter/prefilter-memo';
import { patternRequirement, prefilterTables, RegexPrefilter, worthPrefiltering, type PrefilterTables } from '../prefilter/regex-prefilter';
import type { Requirement } from '../prefilter/requirements';
import type { CompiledRule } from './compiled-rule';
import { compilesUnderRe2 } from '../regex/re2-verdicts';

/**
 * Gives every constant `@rx` pattern that RE2 runs, and whose required literal text is worth checking, a
 * place in one shared RegexPrefilter (prefilter/regex-prefilter.ts). Returns the number of patterns given one.
 * With a memo, the analysis of the same patterns (in the same order) is taken from it instead of made again.
 */
export function attachPrefilters(phases: readonly (readonly CompiledRule[])[], re2Compiles: (source: string) => boolean = compilesUnderRe2, memo?: CompileMemo): number {
  const rules: CompiledRule[] = [];
  const sources: string[] = [];
  const visit = (rule: CompiledRule): void => {
    const op = rule.operator;
    if (op.name === 'rx' && op.patternConstant !== undefined && op.patternConstant !== '') {
      rules.push(rule);
      sources.push(withPcreSpaces(op.patternConstant));
    }
    if (rule.chained) visit(rule.chained);
  };
  for (const phase of phases) for (const rule of phase) visit(rule);
  if (rules.length === 0) return 0;
  const analyse = (): { chosen: Int32Array; tables: PrefilterTables | undefined } => {
    const chosen: number[] = [];
    const requirements: Array<Exclude<Requirement, true>> = [];
    sources.forEach((source, i) => {
      const requirement = re2Compiles(source) ? patternRequirement(source) : undefined;
      if (requirement !== undefined && worthPrefiltering(requirement)) {
        chosen.push(i);
        requirements.push(requirement);
      }
    });
    return { chosen: Int32Array.from(chosen), tables: requirements.length > 0 ? prefilterTables(requirements) : undefined };
  };
  let chosen: Int32Array;
  let tables: PrefilterTables | undefined;
  if (memo === undefined) {
    ({ chosen, tables } = analyse());
  } else {
    const frozen = memo.remember('prefilter/1', sources.join('\0'), (): Frozen => {
      const a = analyse();
      return a.tables === undefined ? { arrays: { chosen: a.chosen }, numbers: {} } : { arrays: { ...freezePrefilter(a.tables).arrays, chosen: a.chosen }, numbers: {} };
    });
    chosen = frozen.arrays.chosen as Int32Array;
    tables = chosen.length > 0 ? thawPrefilter(frozen) : undefined;
  }
  if (tables === undefined) return 0;
  const prefilter = new RegexPrefilter(tables);
  chosen.forEach((ruleIndex, index) => {
    rules[ruleIndex]!.prefilter = { prefilter, index };
  });
  return chosen.length;
}
