import type { Collection, Entry } from '../collections/collection';
import type { Transaction } from '../transaction';
import type { MatchedRule } from '../interruption';
import type { CompiledRule, CompiledSelector, CompiledTarget } from './compiled-rule';
import { formatErrorLogLine } from '../log/error-log';
import { placeMatches, type PendingMatch, type PerMatchMessage } from '../log/match-reference';
import { evaluateXPathForTx } from '../request/xml-variable';
import { traceOf } from '../trace/sink';
import type { TraceSink } from '../trace/events';
import { traceAllowedRest, traceCaptures, traceMatch, traceRemovedBefore, traceRuleRemoved, traceRuleStart, traceValue } from '../trace/evaluation-events';
import { formatMatchMessage } from '../audit/rule-message';
import { regexSetMatches } from './regex-sets';
import { readAhead } from '../collections/read-ahead';
import { analysisOf, prefilterAllows, type RegexPrefilter, type TriggerSet, type ValueAnalysis } from '../prefilter/regex-prefilter';
import { entryState, valueState, type CollectionTriggerViews, type TriggeredView, type ValueRef, type ValueState } from './value-state';

/*
 * The evaluation trace (trace/): each function asks traceOf(tx) once and sends events only when a sink is
 * attached, building them in trace/evaluation-events.ts. Nothing is built for an untraced transaction: no
 * message, no closure (a closure would make V8 keep the variables it reads in a heap context, allocated on every
 * pass through the loops below).
 */
type Phase = 1 | 2 | 3 | 4 | 5;

/** Where a phase stopped to wait (for an asynchronous operator or collection reads), so it can resume there. */
interface PhaseState {
  next: number;
  skipAfter: string | undefined;
  skip: number;
}

/**
 * Runs every rule of one phase in order, honouring skip, skipAfter, removals and interruptions. Returns a
 * promise only when it has to wait: for a rule with an asynchronous operator (`@rbl`), or for records of an
 * asynchronous collection store. Those reads are held until the first rule that uses one of their
 * collections (`persistentUse`, known at load time), or the end of the phase, so that every record opened
 * before that point travels in one round trip; the phase then resumes there.
 */
export function runPhase(tx: Transaction, phase: number, state: PhaseState = { next: 0, skipAfter: undefined, skip: 0 }): Promise<void> | undefined {
  const rules = tx.waf.rulesForPhase(phase);
  let trace = traceOf(tx);
  if (state.next === 0 && trace !== undefined) trace.event({ kind: 'phase', phase: phase as Phase, ruleCount: rules.length }, tx);
  // Rules SecRuleRemove* took out are named where they stood, for a traced transaction only.
  const removed = trace !== undefined && tx.waf.removedRules[phase]?.length ? tx.waf.removedRules[phase] : undefined;
  let nextRemoved = 0;
  if (removed !== undefined) while (nextRemoved < removed.length && removed[nextRemoved]!.at < state.next) nextRemoved++;
  for (let i = state.next; i < rules.length; i++) {
    const rule = rules[i]!;
    if (removed !== undefined && trace !== undefined && state.skipAfter === undefined) nextRemoved = traceRemovedBefore(trace, tx, removed, nextRemoved, i);
    if (rule.marker !== undefined) {
      if (state.skipAfter !== undefined && rule.marker === state.skipAfter) state.skipAfter = undefined;
      continue;
    }
    if (state.skipAfter !== undefined) {
      if (trace !== undefined) trace.event({ kind: 'rule-skipped', rule, reason: 'skipAfter', marker: state.skipAfter }, tx);
      continue;
    }
    if (state.skip > 0) {
      state.skip--;
      if (trace !== undefined) trace.event({ kind: 'rule-skipped', rule, reason: 'skip', remaining: state.skip }, tx);
      continue;
    }
    if (rule.id !== 0 && tx.isRuleRemoved(rule)) {
      if (trace !== undefined) traceRuleRemoved(trace, tx, rule);
      continue;
    }
    if ((rule.persistentUse & tx.pendingCollections) !== 0) {
      // This rule is evaluated once the records arrived (the checks above pass again, unchanged). The records
      // that it and later rules may open with keys no rule can change travel with them.
      state.next = i;
      readAhead(tx, rules, i);
      return awaitLoads(tx, phase, state, false);
    }
    if (rule.hasAsyncOperator) {
      state.next = i + 1;
      return resumeAfter(tx, phase, rule, state);
    }
    const stop = afterRule(tx, rule, evaluateRule(tx, rule), state);
    // ctl:debugLogLevel may have changed where the trace goes.
    trace = traceOf(tx);
    if (stop && trace !== undefined) traceStop(trace, tx, phase, rules, i + 1);
    if (stop) return endPhase(tx, phase, state);
  }
  if (removed !== undefined && trace !== undefined && state.skipAfter === undefined) traceRemovedBefore(trace, tx, removed, nextRemoved, rules.length);
  return endPhase(tx, phase, state);
}

/** Why the phase stops early, for the trace: an interruption, or an allow (the rules it passes over). */
function traceStop(trace: TraceSink, tx: Transaction, phase: number, rules: readonly CompiledRule[], next: number): void {
  if (tx.interruption !== undefined) trace.event({ kind: 'phase-stopped', phase: phase as Phase, reason: 'interrupted' }, tx);
  else traceAllowedRest(trace, tx, rules, next);
}

/** Evaluates an asynchronous rule, then the rest of the phase (kept apart from runPhase's loop: see debugLine). */
function resumeAfter(tx: Transaction, phase: number, rule: CompiledRule, state: PhaseState): Promise<void> {
  return evaluateRuleAsync(tx, rule).then((matched) => {
    const stop = afterRule(tx, rule, matched, state);
    const trace = traceOf(tx);
    if (stop && trace !== undefined) traceStop(trace, tx, phase, tx.waf.rulesForPhase(phase), state.next);
    if (stop) return endPhase(tx, phase, state);
    return runPhase(tx, phase, state);
  });
}

/**
 * The phase is over (or stopped): records still on their way are waited for now, so that no read outlives
 * its phase (later phases, the end of the transaction and the integration see every record as loaded).
 */
function endPhase(tx: Transaction, phase: number, state: PhaseState): Promise<void> | undefined {
  tx.readsAhead = undefined;
  return tx.pendingLoads === undefined ? undefined : awaitLoads(tx, phase, state, true);
}

/**
 * Waits for every record opened so far (the store sends the reads it was given before this wait in one
 * round trip), then goes on with the phase from `state.next` unless it is over.
 */
function awaitLoads(tx: Transaction, phase: number, state: PhaseState, over: boolean): Promise<void> {
  const loads = tx.pendingLoads!;
  tx.pendingLoads = undefined;
  tx.pendingCollections = 0;
  return Promise.all(loads).then(() => (over ? undefined : runPhase(tx, phase, state)));
}

/** Applies a rule's flow after evaluation; returns true when the phase must stop. */
function afterRule(tx: Transaction, rule: CompiledRule, matched: boolean, state: PhaseState): boolean {
  if (!matched) return false;
  if (tx.interruption) return true;
  if (tx.allowScope !== undefined) {
    // allow / allow:phase / allow:request stop this phase; runPhaseOnce decides about later ones.
    if (tx.allowScope === 'phase') tx.allowScope = undefined;
    return true;
  }
  if (rule.skipAfter !== undefined) state.skipAfter = rule.skipAfter;
  else if (rule.skip > 0) state.skip = rule.skip;
  return false;
}

/** The value's name for MATCHED_VAR_NAME and logs; an entry's is computed once and kept on it. */
function nameOf(ref: ValueRef, variable: string): string {
  return (ref.name ??= `${variable}:${ref.key}`);
}

function beginRule(tx: Transaction, rule: CompiledRule, trace: TraceSink | undefined): void {
  if (rule.head === rule) {
    tx.clearMatches();
    if (tx.pendingMatches.length !== 0) tx.pendingMatches = [];
  }
  tx.currentRule = rule;
  if (trace !== undefined) traceRuleStart(trace, tx, rule);
}

/**
 * The transaction's capture array, emptied: an operator fills it, and onValueMatched copies it to TX:0-9
 * before the next value is tried. (The asynchronous path keeps its own arrays across awaits.)
 */
function emptyCaptures(tx: Transaction): string[] {
  const captures = tx.captureBuffer;
  // Setting length is a call into the runtime even when it changes nothing.
  if (captures.length !== 0) captures.length = 0;
  return captures;
}

/**
 * Whether a match of this rule is kept to be placed (where the operator matched, where the value came from)
 * if the chain matches: only when the chain logs (error log or audit record), may interrupt, sanitises matched
 * values or is traced. Most matches are nolog flow rules.
 */
function placesMatches(rule: CompiledRule, trace: TraceSink | undefined): boolean {
  const head = rule.head;
  return head.log || head.auditLog || (head.disruptive !== undefined && head.disruptive !== 'pass') || rule.sanitise.matched || head.sanitise.matched || trace !== undefined;
}

/**
 * Records one operator match and runs the per-match actions (setvar), as ModSecurity v3 does. `step` is the
 * candidate's place among a multiMatch rule's transformation steps (0: the value as it is).
 */
function onValueMatched(tx: Transaction, rule: CompiledRule, target: CompiledTarget, ref: ValueRef, name: string, candidate: string, step: number, trace: TraceSink | undefined): void {
  if (tx.captures) {
    if (trace !== undefined) traceCaptures(trace, tx, rule, tx.captures);
    storeCaptures(tx, tx.captures);
  }
  const pending: PendingMatch | undefined = placesMatches(rule, trace) ? { rule, target, ref, name, candidate, step } : undefined;
  if (pending !== undefined) tx.pendingMatches.push(pending);
  if (trace !== undefined && trace.matches !== false) traceMatch(trace, tx, rule, target, ref, name, candidate, step);
  tx.matchedVar = candidate;
  tx.matchedVarName = name;
  tx.recordMatch(name, candidate);
  for (const a of rule.perMatchActions) a(tx, rule);
  tx.lastMatch = { variable: name, value: candidate, raw: ref.value, rule };
  // v3 expands a multiMatch head's msg, logdata and tags after each match's setvars, for that match's message.
  if (pending !== undefined && rule.multiMatch && rule.head === rule && (rule.log || rule.auditLog)) pending.message = perMatchMessage(tx, rule);
}

function perMatchMessage(tx: Transaction, head: CompiledRule): PerMatchMessage {
  return {
    msg: head.msg ? head.msg.expand(tx) : '',
    data: head.logdata ? head.logdata.expand(tx) : '',
    tags: head.tagMacros ? head.tagMacros.map((t) => t.expand(tx)) : head.tags,
    last: tx.lastMatch as PerMatchMessage['last'],
  };
}

function matchUnconditional(tx: Transaction, rule: CompiledRule): void {
  tx.captures = null;
  for (const a of rule.perMatchActions) a(tx, rule);
  tx.lastMatch = { variable: '', value: '', raw: '', rule };
}

/**
 * Evaluates one rule and, when it matches, the rest of its chain. Per-match actions (setvar) run as each
 * value matches, as ModSecurity v3 does; the other actions run once the whole chain matched.
 */
function evaluateRule(tx: Transaction, rule: CompiledRule): boolean {
  const trace = traceOf(tx);
  beginRule(tx, rule, trace);
  let matched = false;
  if (rule.unconditional) {
    matched = true;
    matchUnconditional(tx, rule);
  } else {
    const op = rule.operator;
    const wantCaptures = rule.capture && !op.negated;
    // Checked once per rule: whether every value looked at is traced.
    const tracing = trace !== undefined && trace.values;
    // A prefiltered pattern can rule out a whole collection at once (not when tracing: each value is traced;
    // not when negated: a value that cannot match makes a negated operator match).
    const wholeTargets = rule.prefilter !== undefined && !op.negated && !tracing;
    const stateless = rule.transformations.length === 0 && rule.prefilter === undefined && rule.regexSet === undefined;
    for (const target of rule.targets) {
      const values = targetValues(tx, rule, target, wholeTargets);
      const variable = target.variable;
      for (let v = 0; v < values.length; v++) {
        const ref = values[v]!;
        if (!rule.multiMatch) {
          // The common case: one candidate, the fully transformed value. Its record is needed only to
          // remember transformations, prefilter scans and set answers (not for `TX:x "@lt 2"`).
          const state = stateless ? undefined : transformedState(tx, rule, ref);
          const candidate = state === undefined ? ref.value : state.text;
          if (tracing) traceValue(trace, tx, rule, nameOf(ref, variable), ref.value, candidate);
          let result: boolean;
          if (state === undefined) {
            tx.captures = wantCaptures ? emptyCaptures(tx) : null;
            result = op.match(candidate, tx) as boolean;
          } else if (rule.prefilter !== undefined && !prefilterAllows(state, rule.prefilter)) {
            // The value lacks text the pattern needs: RE2 would say no.
            result = false;
            tx.captures = null;
          } else if (rule.regexSet !== undefined) {
            // The shared set answers whether the pattern matches; the pattern itself runs only for captures.
            result = regexSetMatches(state, rule.regexSet);
            tx.captures = result && wantCaptures ? emptyCaptures(tx) : null;
            if (tx.captures !== null) result = op.match(candidate, tx) as boolean;
          } else {
            tx.captures = wantCaptures ? emptyCaptures(tx) : null;
            result = op.match(candidate, tx) as boolean;
          }
          if (result === op.negated) continue;
          matched = true;
          onValueMatched(tx, rule, target, ref, nameOf(ref, variable), candidate, 0, trace);
          continue;
        }
        const candidates = transformed(tx, rule, ref);
        for (let c = 0; c < candidates.length; c++) {
          const candidate = candidates[c]!;
          if (tracing) traceValue(trace, tx, rule, nameOf(ref, variable), ref.value, candidate, c === 0 ? candidates.length : 0);
          tx.captures = wantCaptures ? emptyCaptures(tx) : null;
          const result = rule.prefilter !== undefined && !prefilterAllows(valueState(tx.valueStates, candidate), rule.prefilter) ? false : (op.match(candidate, tx) as boolean);
          if (result === op.negated) continue;
          matched = true;
          onValueMatched(tx, rule, target, ref, nameOf(ref, variable), candidate, c, trace);
        }
      }
    }
  }
  tx.captures = null;
  if (trace !== undefined) trace.event({ kind: 'rule-result', rule, matched }, tx);
  if (!matched || rule.chainIncomplete) return false;
  if (rule.chained && !evaluateRule(tx, rule.chained)) return false;
  return finishRule(tx, rule);
}

/** The same as evaluateRule, awaiting operators that return promises (`@rbl`). */
async function evaluateRuleAsync(tx: Transaction, rule: CompiledRule): Promise<boolean> {
  const trace = traceOf(tx);
  beginRule(tx, rule, trace);
  let matched = false;
  if (rule.unconditional) {
    matched = true;
    matchUnconditional(tx, rule);
  } else {
    const op = rule.operator;
    const wantCaptures = rule.capture && !op.negated;
    for (const target of rule.targets) {
      const values = targetValues(tx, rule, target);
      for (const ref of values) {
        const candidates = transformed(tx, rule, ref);
        for (let c = 0; c < candidates.length; c++) {
          const candidate = candidates[c]!;
          if (trace !== undefined && trace.values) traceValue(trace, tx, rule, nameOf(ref, target.variable), ref.value, candidate, rule.multiMatch ? (c === 0 ? candidates.length : 0) : undefined);
          const captures = wantCaptures ? [] : null;
          tx.captures = captures;
          let result = op.match(candidate, tx);
          if (typeof result !== 'boolean') result = await result.catch(() => false);
          tx.captures = captures;
          if (result === op.negated) continue;
          matched = true;
          onValueMatched(tx, rule, target, ref, nameOf(ref, target.variable), candidate, c, trace);
          if (!rule.multiMatch) break;
        }
      }
    }
  }
  tx.captures = null;
  if (trace !== undefined) trace.event({ kind: 'rule-result', rule, matched }, tx);
  if (!matched || rule.chainIncomplete) return false;
  if (rule.chained && !(await evaluateRuleAsync(tx, rule.chained))) return false;
  return finishRule(tx, rule);
}

function finishRule(tx: Transaction, rule: CompiledRule): boolean {
  tx.currentRule = rule;
  for (const a of rule.afterMatchActions) a(tx, rule);
  if (rule.head === rule) onChainMatched(tx, rule);
  return true;
}

/** TX:0-TX:9 from the operator's captures; groups that took no part in the match keep their old value. */
function storeCaptures(tx: Transaction, captures: string[]): void {
  const txc = tx.txCollection;
  const n = Math.min(captures.length, 10);
  for (let i = 0; i < n; i++) {
    const c = captures[i];
    if (c !== undefined) txc.set(String(i), c);
  }
}

/** Every intermediate result of the rule's chain (multiMatch), cached per transaction and chain. */
function transformed(tx: Transaction, rule: CompiledRule, ref: ValueRef): readonly string[] {
  if (!rule.multiMatch) return [transformedState(tx, rule, ref).text];
  const raw = entryState(tx.valueStates, ref);
  const chain = rule.transformations;
  if (chain.length === 0) return (raw.alone ??= [raw.text]);
  // Every transformation of the chain is known to leave the value unchanged: nothing to look up or store.
  if (rule.chainMask !== 0 && (raw.unchangedBy & rule.chainMask) === rule.chainMask) return (raw.alone ??= [raw.text]);
  const known = (raw.steps ??= []);
  let steps = known[rule.stepsId];
  if (steps === undefined) {
    // Steps are collected in a reused array and copied at their final length.
    const list = tx.stepBuffer;
    if (list.length !== 0) list.length = 0;
    let cur = raw.text;
    const bits = rule.transformationBits;
    let unchanged = raw.unchangedBy;
    for (let i = 0; i < chain.length; i++) {
      // While the value is still the original, a transformation known to leave it unchanged is skipped.
      if (list.length === 0 && (unchanged & bits[i]!) !== 0) continue;
      const next = chain[i]!.transform(cur, tx.waf.transformationContext);
      if (next !== cur) {
        if (list.length === 0) list.push(raw.text);
        list.push(next);
      } else if (list.length === 0) unchanged |= bits[i]!;
      cur = next;
    }
    raw.unchangedBy = unchanged;
    // Most values come through most chains unchanged: they share one list.
    steps = list.length !== 0 ? list.slice() : (raw.alone ??= [raw.text]);
    known[rule.stepsId] = steps;
  }
  return steps;
}

/** The fully transformed value (rules without multiMatch), computed once per transaction and chain. */
function transformedState(tx: Transaction, rule: CompiledRule, ref: ValueRef): ValueState {
  const raw = entryState(tx.valueStates, ref);
  const value = ref.value;
  const chain = rule.transformations;
  if (chain.length === 0) return raw;
  // Every transformation of the chain is known to leave the value unchanged (most values, most chains): the
  // value is its own result, and no per-chain array is made for it (a JSON body has a thousand such values).
  if (rule.chainMask !== 0 && (raw.unchangedBy & rule.chainMask) === rule.chainMask) return raw;
  let out = raw.chains?.[rule.chainId];
  if (out === undefined) {
    let cur = value;
    let original = true;
    const bits = rule.transformationBits;
    let unchanged = raw.unchangedBy;
    for (let i = 0; i < chain.length; i++) {
      if (!original) {
        cur = chain[i]!.transform(cur, tx.waf.transformationContext);
        continue;
      }
      // CRS's chains share transformations (urlDecodeUni is in most): each runs once on the original value.
      if ((unchanged & bits[i]!) !== 0) continue;
      const next = chain[i]!.transform(cur, tx.waf.transformationContext);
      if (next === cur) unchanged |= bits[i]!;
      else {
        original = false;
        cur = next;
      }
    }
    raw.unchangedBy = unchanged;
    out = original ? raw : valueState(tx.valueStates, cur);
    // An unchanged value is found again through unchangedBy, unless a transformation has no bit.
    if (!original || rule.chainMask === 0) (raw.chains ??= [])[rule.chainId] = out;
  }
  return out;
}

function selectorMatches(sel: CompiledSelector, key: string): boolean {
  switch (sel.kind) {
    case 'all':
      return true;
    case 'key':
      return key.length === sel.lower.length && key.toLowerCase() === sel.lower;
    case 'regex':
      return sel.matches(key);
    case 'xpath':
      return false;
  }
}

/**
 * The exclusions that apply to this target: the rule's own, resolved at load time, and those `ctl` added for
 * this transaction (CRS 941010 adds one on most requests). Undefined when there are none.
 */
function exclusionsFor(tx: Transaction, rule: CompiledRule, target: CompiledTarget): CompiledSelector[] | undefined {
  const own = target.exclusions;
  const added = tx.targetExclusions;
  if (added.length === 0) return own;
  let out: CompiledSelector[] | undefined;
  const head = rule.head;
  for (let i = 0; i < added.length; i++) {
    const ex = added[i]!;
    if (ex.variable === target.variable && ex.appliesTo(head)) (out ??= own !== undefined ? own.slice() : []).push(ex.selector);
  }
  return out ?? own;
}

function excludedBy(selectors: CompiledSelector[], key: string): boolean {
  for (const sel of selectors) if (selectorMatches(sel, key)) return true;
  return false;
}

/**
 * Whether the rule's prefiltered pattern may match some value of a request collection no rule changes,
 * decided without visiting the values: the patterns they trigger are combined once per transaction. A large
 * JSON body has hundreds of values and CRS runs hundreds of patterns over them; most patterns are triggered
 * by none. The values as they are come first (one set for every chain); a chain then only adds the values it
 * changes, which are few: most values come through most chains unchanged.
 */
function mayMatchAny(tx: Transaction, rule: CompiledRule, collection: Collection): boolean {
  const ref = rule.prefilter!;
  const prefilter = ref.prefilter;
  let views = collection.triggerViews as CollectionTriggerViews | undefined;
  if (views === undefined || views.owner !== tx) {
    views = { owner: tx, raw: { size: 0, triggered: prefilter.noTriggers }, final: [], steps: [] };
    collection.triggerViews = views;
  }
  const entries = collection.entries();
  const raw = rawTriggers(tx, views.raw, prefilter, entries);
  if (raw === null || prefilter.mayTrigger(raw, ref.index)) return true;
  if (rule.transformations.length === 0) return false;
  const changed = changedTriggers(tx, rule, views, prefilter, entries);
  return changed === null || prefilter.mayTrigger(changed, ref.index);
}

/** The patterns the collection's values trigger as they are (null: the prefilter cannot tell). */
function rawTriggers(tx: Transaction, view: TriggeredView, prefilter: RegexPrefilter, entries: readonly Entry[]): TriggerSet | null {
  // A collection only grows (the request body adds to ARGS after phase 1): the view adds its new entries.
  let triggered = view.triggered;
  for (let i = view.size; i < entries.length && triggered !== null; i++) {
    triggered = addTriggers(prefilter, triggered, analysisOf(entryState(tx.valueStates, entries[i]!), prefilter));
  }
  view.size = entries.length;
  view.triggered = triggered;
  return triggered;
}

/**
 * The patterns triggered by the forms the rule's chain gives the values it changes (with multiMatch, every
 * step but the first, which is the value as it is).
 */
function changedTriggers(tx: Transaction, rule: CompiledRule, views: CollectionTriggerViews, prefilter: RegexPrefilter, entries: readonly Entry[]): TriggerSet | null {
  const perChain = rule.multiMatch ? views.steps : views.final;
  const id = rule.multiMatch ? rule.stepsId : rule.chainId;
  let view = perChain[id];
  if (view === undefined) {
    view = { size: 0, triggered: prefilter.noTriggers };
    perChain[id] = view;
  }
  let triggered = view.triggered;
  const mask = rule.chainMask;
  for (let i = view.size; i < entries.length && triggered !== null; i++) {
    const e = entries[i]!;
    // Known to come through every transformation of the chain unchanged: the raw set covers it.
    if (mask !== 0 && (entryState(tx.valueStates, e).unchangedBy & mask) === mask) continue;
    if (rule.multiMatch) {
      const steps = transformed(tx, rule, e);
      for (let s = 1; s < steps.length && triggered !== null; s++) triggered = addTriggers(prefilter, triggered, analysisOf(valueState(tx.valueStates, steps[s]!), prefilter));
    } else {
      const raw = entryState(tx.valueStates, e);
      const out = transformedState(tx, rule, e);
      if (out !== raw) triggered = addTriggers(prefilter, triggered, analysisOf(out, prefilter));
    }
  }
  view.size = entries.length;
  view.triggered = triggered;
  return triggered;
}

/** `set` with the patterns the analysis triggers added (a new set in place of the shared empty one); null when the analysis is. */
function addTriggers(prefilter: RegexPrefilter, set: TriggerSet, analysis: ValueAnalysis | null): TriggerSet | null {
  if (analysis === null) return null;
  if (prefilter.triggersNothing(analysis)) return set;
  const into = set === prefilter.noTriggers ? prefilter.newTriggerSet() : set;
  prefilter.unionTriggered(into, analysis);
  return into;
}

const NO_VALUES: readonly ValueRef[] = Object.freeze([]);

/** A count (`&ARGS`) or a variable's own value, offered as a one-element list. */
function single(name: string, value: string): readonly ValueRef[] {
  // The shape of a collection entry, so that the evaluator's reads of values stay monomorphic.
  return [{ key: name, value, name, state: undefined, stateOwner: undefined }];
}

/** A count's name, as v3 names it (MATCHED_VAR_NAME, logs): `&REQUEST_HEADERS:Accept` is `REQUEST_HEADERS:Accept`. */
function countName(target: CompiledTarget): string {
  return target.selector.kind === 'key' ? `${target.variable}:${target.selector.key}` : target.variable;
}

/** A scalar's value as a list, the same list while the value is unchanged (see Transaction.scalarValues). */
function scalarValue(tx: Transaction, target: CompiledTarget, value: string): readonly ValueRef[] {
  const slot = target.definition.slot;
  const known = tx.scalarValues[slot];
  if (known !== undefined && known[0]!.value === value) return known;
  const list = single(target.variable, value);
  tx.scalarValues[slot] = list;
  return list;
}

/**
 * The values a target offers the operator. With `skipUnmatchable` (a prefiltered pattern, not negated), a whole
 * request collection none of whose values can match is offered as empty (mayMatchAny). Lists are the
 * collection's own where nothing needs filtering and no action can append to them while they are iterated.
 */
function targetValues(tx: Transaction, rule: CompiledRule, target: CompiledTarget, skipUnmatchable = false): readonly ValueRef[] {
  const variable = target.variable;
  const sel = target.selector;
  if (sel.kind === 'xpath') {
    // Most requests have no XML body, and a hundred CRS rules name XML:/*.
    if (tx.xmlDocument === undefined) return target.count ? single(countName(target), '0') : NO_VALUES;
    const values = evaluateXPathForTx(tx, rule, sel.xpath);
    if (target.count) return single(countName(target), String(values.length));
    return values.map((v) => ({ key: sel.path, value: v, name: `${variable}:${sel.path}`, state: undefined, stateOwner: undefined }));
  }
  const definition = target.definition;
  const data = definition.read(tx);
  if (data === undefined) return target.count ? single(countName(target), '0') : NO_VALUES;
  const excluded = exclusionsFor(tx, rule, target);
  if (typeof data === 'string') {
    // A scalar can be excluded whole: `ctl:ruleRemoveTargetByTag=xss-perf-disable;REQUEST_FILENAME` (CRS 941010).
    if (excluded !== undefined && excludedBy(excluded, variable)) return target.count ? single(countName(target), '0') : NO_VALUES;
    if (target.count) return single(countName(target), '1');
    return scalarValue(tx, target, data);
  }
  // No value of the whole collection can match (exclusions only remove values).
  if (skipUnmatchable && sel.kind === 'all' && !target.count && definition.fixed === true && !mayMatchAny(tx, rule, data)) return NO_VALUES;
  if (excluded === undefined && !target.count) {
    if (sel.kind === 'key' && (definition.fixed === true || definition.setOnly === true)) return data.getLower(sel.lower);
    // A collection no rule can change: its own list, not a copy (ARGS of a large body).
    if (sel.kind === 'all' && definition.fixed === true) return data.entries();
  }
  const entries: readonly Entry[] = sel.kind === 'key' ? data.getLower(sel.lower) : data.entries();
  if (entries.length === 0) return target.count ? single(countName(target), '0') : NO_VALUES;
  const out: ValueRef[] = [];
  let n = 0;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (sel.kind === 'regex' && !sel.matches(e.key)) continue;
    if (excluded !== undefined && excludedBy(excluded, e.key)) continue;
    n++;
    if (!target.count) out.push(e);
  }
  if (target.count) return single(countName(target), String(n));
  return out;
}

/** The chain matched: record it, log it, and apply the head's disruptive action and flow. */
function onChainMatched(tx: Transaction, head: CompiledRule): void {
  const engine = tx.settings.ruleEngine;
  const disruptive = tx.waf.effectiveDisruptive(head);
  const interrupts = engine === 'On' && disruptive !== undefined && disruptive !== 'pass' && disruptive !== 'allow';
  // Every matched chain counts, logged or not (ModSecurity v2 and v3); read here so SecRuleUpdateActionById applies.
  if (head.severity !== undefined && head.severity < tx.highestSeverity) {
    tx.highestSeverity = head.severity;
    tx.vars.set('HIGHEST_SEVERITY', String(head.severity));
  }
  const status = interrupts ? tx.waf.effectiveStatus(head, disruptive!) : undefined;
  const perMatch = head.multiMatch ? perMatchMessages(tx.pendingMatches, head) : undefined;
  let line: string | undefined;
  let msg: string;
  let data: string;
  let tags: readonly string[];
  if (perMatch === undefined) {
    msg = head.msg ? head.msg.expand(tx) : '';
    data = head.logdata ? head.logdata.expand(tx) : '';
    tags = head.tagMacros ? head.tagMacros.map((t) => t.expand(tx)) : head.tags;
    // Most matches are nolog flow rules (paranoia-level skips, setvar bookkeeping): format only what is written.
    const { reference, matches } = placeMatches(tx, tx.pendingMatches);
    line = recordMessage(tx, head, tx.lastMatch, { msg, data, tags }, reference, matches, interrupts, status, { value: tx.matchedVar ?? '', name: tx.matchedVarName ?? '' });
  } else {
    // multiMatch: one message per matching value of the head, each with its own reference and match text, as
    // libmodsecurity v3 writes them (RuleWithActions::performLogging). v3 writes them as each value matches, even
    // when a later link of the chain fails, and all as warnings; here they are written once the chain matched (a
    // message for a chain that did not match would report what the rule did not detect), and the last one
    // carries the interruption.
    for (let i = 0; i < perMatch.length; i++) {
      const p = perMatch[i]!;
      const { reference, matches } = placeMatches(tx, [p]);
      const last = i === perMatch.length - 1;
      const m = p.message!;
      line = recordMessage(tx, head, m.last, m, reference, matches, last && interrupts, last ? status : undefined, { value: m.last.value, name: m.last.variable });
    }
    ({ msg, data, tags } = perMatch[perMatch.length - 1]!.message!);
  }
  const trace = traceOf(tx);
  if (trace !== undefined) {
    trace.event({ kind: 'chain-matched', rule: head, msg, data, tags, severity: head.severity, logged: head.log, messages: perMatch?.length ?? 1, disruptive, interrupted: interrupts, status, engine }, tx);
  }
  if (disruptive === 'allow' && engine === 'On') {
    tx.allowScope = head.allowScope ?? 'all';
    if (trace !== undefined) trace.event({ kind: 'allow', rule: head, scope: tx.allowScope }, tx);
    return;
  }
  if (!interrupts) return;
  const action = disruptive === 'block' ? 'deny' : (disruptive as 'deny' | 'drop' | 'redirect' | 'proxy' | 'pause');
  tx.interruption = {
    status: status!,
    ruleId: head.id,
    action,
    ...(action === 'redirect' && head.redirect ? { url: head.redirect.expand(tx) } : {}),
    ...(head.log && line !== undefined ? { log: line } : {}),
  };
}

/** The head's own matches that carry a per-match message (multiMatch heads that log), or undefined for none. */
function perMatchMessages(pending: readonly PendingMatch[], head: CompiledRule): PendingMatch[] | undefined {
  let out: PendingMatch[] | undefined;
  for (const p of pending) if (p.rule === head && p.message !== undefined) (out ??= []).push(p);
  return out;
}

/** Adds one message of a matched chain to tx.matchedRules (and the error log when the head logs); returns its line. */
function recordMessage(
  tx: Transaction,
  head: CompiledRule,
  last: Transaction['lastMatch'],
  text: { msg: string; data: string; tags: readonly string[] },
  reference: string,
  matches: MatchedRule['matches'],
  interrupts: boolean,
  status: number | undefined,
  matched: { value: string; name: string },
): string | undefined {
  const line = head.log || interrupts ? formatErrorLogLine(tx, head, { ...last, msg: text.msg, data: text.data, status, tags: text.tags, reference }) : undefined;
  // The audit record's text of the match (v3's m_match), for matches it lists or that interrupted.
  const match = head.log || head.auditLog || interrupts ? formatMatchMessage(tx, last.rule, last.variable, last.raw) : undefined;
  if (head.log) tx.log(line!);
  if (head.auditLog) tx.auditLogMarked = true;
  tx.matchedRules.push({
    id: head.id,
    phase: head.phase,
    file: head.loc.file,
    line: head.loc.line,
    msg: text.msg,
    data: text.data,
    severity: head.severity,
    tags: text.tags,
    ver: head.ver,
    rev: head.rev,
    maturity: head.maturity,
    accuracy: head.accuracy,
    logged: head.log,
    auditLogged: head.auditLog,
    disruptive: interrupts,
    matchedVar: matched.value,
    matchedVarName: matched.name,
    reference,
    matches,
    logLine: line,
    match,
  });
  return line;
}
