import type { MacroString } from '@rampart/seclang';
import type { CompiledRule } from '../rules/compiled-rule';

/**
 * One bit per persistent collection. A rule's `persistentUse` says which of them it reads, counts, writes or
 * expands in a macro; a transaction's `pendingCollections` says which records are still on their way from an
 * asynchronous store. The evaluator waits only before a rule whose bits meet the pending ones, so every
 * record opened before that rule goes out in one pipeline.
 */
const BITS: ReadonlyMap<string, number> = new Map([
  ['IP', 1],
  ['SESSION', 2],
  ['USER', 4],
  ['GLOBAL', 8],
  ['RESOURCE', 16],
]);

/** The bit of a persistent collection (any case), 0 for every other name (TX, ARGS, ...). */
export function persistentCollectionBit(name: string): number {
  return BITS.get(name.toUpperCase()) ?? 0;
}

/** The persistent collections a macro text expands (`%{ip.requests}`, `%{GLOBAL:alerts}`). */
export function macroPersistentUse(ms: MacroString): number {
  let use = 0;
  for (const part of ms.parts) if (typeof part !== 'string') use |= persistentCollectionBit(part.collection);
  return use;
}

/**
 * Completes `persistentUse` once the rule set is final (after SecRuleUpdateTargetById, which may add an `IP:`
 * target): each rule adds its targets to what its actions and operator recorded while they compiled, and a
 * chain's first rule gets the whole chain's, since the evaluator checks only the first rule before running
 * the chain. The same goes for the records a chain may open and that can be read ahead (read-ahead.ts).
 */
export function attachPersistentUse(phases: readonly (readonly CompiledRule[])[]): void {
  for (const phase of phases) {
    for (const head of phase) {
      let chain = 0;
      for (let rule: CompiledRule | undefined = head; rule !== undefined; rule = rule.chained) {
        for (const target of rule.targets) rule.persistentUse |= persistentCollectionBit(target.variable);
        chain |= rule.persistentUse;
        if (rule !== head && rule.readAheadOpens !== undefined) head.readAheadOpens = [...(head.readAheadOpens ?? []), ...rule.readAheadOpens];
      }
      head.persistentUse = chain;
    }
  }
}
