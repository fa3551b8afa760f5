import RE2 from 're2';
import { answeredWithoutRe2, withPcreSpaces } from '../operators/regex';
import { compilesUnderRe2 } from '../regex/re2-verdicts';
import type { CompiledRule } from './compiled-rule';
import type { ValueState } from './value-state';

type Re2Set = InstanceType<(typeof RE2)['Set']>;

/**
 * Many `@rx` rules run over the same transformed values (CRS: ~200 patterns over every argument, cookie and
 * header). Each RE2 call pays a fixed cost to cross into native code, which dominates on short values. Rules
 * with the same transformation chain see the same strings, so their patterns are grouped into small RE2 sets:
 * one set match answers up to SET_SIZE rules for a value, and the answer is cached per transaction. A set
 * answers exactly what each pattern's own `test` would (same RE2 engine, same flags); the pattern itself runs
 * only to extract captures from a value the set says it matches.
 */
export interface RegexSetRef {
  group: RegexSetGroup;
  /** This rule's pattern's index in the group's set. */
  index: number;
}

export interface RegexSetGroup {
  /** Index into the transaction's cache. */
  id: number;
  set: Re2Set;
}

/**
 * Small sets keep RE2's DFA small (all of CRS in one set does not even compile). It matters for safety: when a
 * set's DFA runs out of memory, RE2 reports "no match", so sets stay small and get a generous memory budget.
 * Larger sets measured a little faster; 8 is the conservative choice (the differential tests pin the answers).
 */
const SET_SIZE = 8;
const SET_MAX_MEM = 64 << 20;

/**
 * Groups the rules' constant `@rx` patterns into sets; returns how many groups were made. Patterns with a
 * prefilter stay out: most values never reach their RE2 call, and a set would run them on every value.
 */
export function attachRegexSets(phases: readonly (readonly CompiledRule[])[], re2Compiles: (source: string) => boolean = compilesUnderRe2): number {
  const byChain = new Map<string, Array<{ rule: CompiledRule; source: string }>>();
  const visit = (rule: CompiledRule): void => {
    const op = rule.operator;
    // A pattern answered without RE2 (operators/regex.ts) would only add work to a set, and so would a rule that
    // sees a few values (named headers, scalars): a set runs on every value any of its rules sees.
    if (
      op.name === 'rx' &&
      op.patternConstant !== undefined &&
      op.patternConstant !== '' &&
      rule.prefilter === undefined &&
      !answeredWithoutRe2(op.patternConstant) &&
      rule.targets.some((t) => t.definition.kind === 'collection' && t.selector.kind !== 'key')
    ) {
      const source = withPcreSpaces(op.patternConstant);
      if (re2Compiles(source)) {
        const list = byChain.get(rule.transformationKey) ?? [];
        list.push({ rule, source });
        byChain.set(rule.transformationKey, list);
      }
    }
    if (rule.chained) visit(rule.chained);
  };
  for (const phase of phases) for (const rule of phase) visit(rule);
  let id = 0;
  for (const list of byChain.values()) {
    // A lone pattern gains nothing from a set.
    if (list.length < 2) continue;
    for (let i = 0; i < list.length; i += SET_SIZE) {
      const chunk = list.slice(i, i + SET_SIZE);
      if (chunk.length < 2) continue;
      let set: Re2Set;
      try {
        set = new RE2.Set(chunk.map((c) => c.source), 'sm', { maxMem: SET_MAX_MEM });
      } catch {
        continue; // Too large for RE2's set budget: these rules keep their own regex calls.
      }
      const group: RegexSetGroup = { id: id++, set };
      chunk.forEach((c, index) => {
        c.rule.regexSet = { group, index };
      });
    }
  }
  return id;
}

/** Whether the rule's pattern matches the value, from the group's set, computed once per value per transaction. */
export function regexSetMatches(state: ValueState, ref: RegexSetRef): boolean {
  const answers = (state.setBits ??= []);
  let bits = answers[ref.group.id];
  if (bits === undefined) {
    bits = 0;
    // test() is the cheaper call, and most values match none of a set's patterns.
    if (ref.group.set.test(state.text)) for (const i of ref.group.set.match(state.text)) bits |= 1 << i;
    answers[ref.group.id] = bits;
  }
  return (bits & (1 << ref.index)) !== 0;
}
