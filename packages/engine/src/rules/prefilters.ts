import { withPcreSpaces } from '../operators/regex';
import { patternRequirement, RegexPrefilter, worthPrefiltering } from '../prefilter/regex-prefilter';
import type { Requirement } from '../prefilter/requirements';
import type { CompiledRule } from './compiled-rule';
import { compilesUnderRe2 } from '../regex/re2-verdicts';

/**
 * Gives every constant `@rx` pattern that RE2 runs, and whose required literal text is worth checking, a
 * place in one shared RegexPrefilter (prefilter/regex-prefilter.ts). Returns the number of patterns given one.
 */
export function attachPrefilters(phases: readonly (readonly CompiledRule[])[], re2Compiles: (source: string) => boolean = compilesUnderRe2): number {
  const rules: CompiledRule[] = [];
  const requirements: Array<Exclude<Requirement, true>> = [];
  const visit = (rule: CompiledRule): void => {
    const op = rule.operator;
    if (op.name === 'rx' && op.patternConstant !== undefined && op.patternConstant !== '') {
      const source = withPcreSpaces(op.patternConstant);
      const requirement = re2Compiles(source) ? patternRequirement(source) : undefined;
      if (requirement !== undefined && worthPrefiltering(requirement)) {
        rules.push(rule);
        requirements.push(requirement);
      }
    }
    if (rule.chained) visit(rule.chained);
  };
  for (const phase of phases) for (const rule of phase) visit(rule);
  if (rules.length === 0) return 0;
  const prefilter = new RegexPrefilter(requirements);
  rules.forEach((rule, index) => {
    rule.prefilter = { prefilter, index };
  });
  return rules.length;
}
