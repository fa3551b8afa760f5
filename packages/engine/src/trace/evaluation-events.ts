import { transformationName, type CompiledRule, type CompiledTarget } from '../rules/compiled-rule';
import type { ValueRef } from '../rules/value-state';
import type { Transaction } from '../transaction';
import { placeMatch, transformationPath } from '../log/match-reference';
import { variableOrigins } from '../log/variable-origins';
import { NO_SPANS } from '../operators/types';
import type { TraceSink } from './events';
import type { RemovedRule } from '../compile';
import { traceOf } from './sink';

/** A phase passed over without running its rules (returns undefined, as the caller's phase does). */
export function tracePhaseSkipped(tx: Transaction, phase: 1 | 2 | 3 | 4 | 5, skipped: 'engine-off' | 'allow' | 'interrupted'): undefined {
  const trace = traceOf(tx);
  if (trace !== undefined) trace.event({ kind: 'phase', phase, ruleCount: tx.waf.rulesForPhase(phase).length, skipped }, tx);
  return undefined;
}

/**
 * The events the rule evaluator sends (rules/evaluate.ts), built here so that the evaluator's loops only test
 * whether a sink is attached. Everything below runs for traced transactions only.
 */

/** A rule starts: its operator's parameter as it runs (macros expanded). */
export function traceRuleStart(trace: TraceSink, tx: Transaction, rule: CompiledRule): void {
  const op = rule.operator;
  const parameter = op.expandArgument !== undefined ? op.expandArgument.expand(tx) : op.argument;
  trace.event({ kind: 'rule', rule, parameter }, tx);
}

/** A rule removed for this transaction by ctl, with the removal that applies. */
export function traceRuleRemoved(trace: TraceSink, tx: Transaction, rule: CompiledRule): void {
  const id = rule.id;
  const byId = tx.removedRuleIds.some((r) => id >= r.from && id <= r.to);
  const byTag = !byId && rule.tags.some((t) => tx.removedRuleTags.includes(t));
  trace.event({ kind: 'rule-skipped', rule, reason: byId ? 'ctl-remove-id' : byTag ? 'ctl-remove-tag' : 'ctl-remove-msg' }, tx);
}

/**
 * A value the operator is about to see: each transformation of the rule's chain, as v3 runs them on the value
 * (the evaluator itself reuses what earlier rules computed), then the value. With multiMatch, `candidates`
 * values are tried and v3 counts the transformations that changed the value.
 */
export function traceValue(trace: TraceSink, tx: Transaction, rule: CompiledRule, variable: string, raw: string, candidate: string, candidates?: number): void {
  if (candidates === undefined || candidates > 0) {
    let value = raw;
    let step = 0;
    const chain = rule.transformations;
    for (let i = 0; i < chain.length; i++) {
      const next = chain[i]!.transform(value, tx.waf.transformationContext);
      if (rule.multiMatch && next !== value) step++;
      value = next;
      trace.event({ kind: 'transformation', rule, variable, step, name: `t:${transformationName(rule, i)}`, value }, tx);
    }
  }
  trace.event({ kind: 'target-value', rule, variable, value: candidate, ...(candidates !== undefined && candidates > 0 ? { candidates } : {}) }, tx);
}

/** A value matched: where the operator matched in it, where it came from, what made it. */
export function traceMatch(trace: TraceSink, tx: Transaction, rule: CompiledRule, target: CompiledTarget, ref: ValueRef, name: string, candidate: string, step: number): void {
  const captures = tx.captures;
  tx.captures = null;
  const spans = placeMatch(tx, { rule, target, ref, name, candidate, step });
  tx.captures = captures;
  trace.event(
    {
      kind: 'match',
      rule,
      variable: name,
      value: candidate,
      raw: ref.value,
      spans,
      origins: target.count ? NO_SPANS : variableOrigins(tx, target.variable, ref),
      transformations: transformationPath(tx, rule, ref.value, step),
    },
    tx,
  );
}

/** The captures an operator stored in TX:0-9 (groups that took no part are not stored). */
export function traceCaptures(trace: TraceSink, tx: Transaction, rule: CompiledRule, captures: readonly (string | undefined)[]): void {
  const n = Math.min(captures.length, 10);
  for (let i = 0; i < n; i++) {
    const value = captures[i];
    if (value !== undefined) trace.event({ kind: 'capture', rule, index: i, value }, tx);
  }
}

/**
 * The rules SecRuleRemove* removed that stood before rule `next` of the phase (from `from` in `removed`): returns
 * where the next call starts.
 */
export function traceRemovedBefore(trace: TraceSink, tx: Transaction, removed: readonly RemovedRule[], from: number, next: number): number {
  let r = from;
  for (; r < removed.length && removed[r]!.at <= next; r++) {
    const { rule, by } = removed[r]!;
    trace.event({ kind: 'rule-skipped', rule, reason: by === 'id' ? 'removed-id' : by === 'msg' ? 'removed-msg' : 'removed-tag' }, tx);
  }
  return r;
}

/** The rules of a phase left after an allow stopped it. */
export function traceAllowedRest(trace: TraceSink, tx: Transaction, rules: readonly CompiledRule[], from: number): void {
  for (let i = from; i < rules.length; i++) {
    const rule = rules[i]!;
    if (rule.marker === undefined) trace.event({ kind: 'rule-skipped', rule, reason: 'allow' }, tx);
  }
}
