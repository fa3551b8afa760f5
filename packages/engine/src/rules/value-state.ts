import type { TriggerSet, ValueAnalysis } from '../prefilter/regex-prefilter';

/**
 * What a transaction has learned about one string: its form after each transformation chain, which
 * prefiltered patterns may match it, and the regex sets' answers. Every rule that sees the same string
 * shares one record, found by a single map lookup on the untransformed value; the rest is array indexing.
 */
export interface ValueState {
  readonly text: string;
  /** The string after each transformation chain, by chain id (CompiledRule.chainId), once computed. */
  chains: Array<ValueState | undefined> | undefined;
  /** Every intermediate result of each transformation chain (multiMatch rules), by steps id (CompiledRule.stepsId). */
  steps: Array<readonly string[] | undefined> | undefined;
  /** Bits of the transformations known to return this string unchanged (CompiledRule.transformationBits). */
  unchangedBy: number;
  /** `[text]`: the steps of every chain that leaves the value unchanged, shared. */
  alone: readonly string[] | undefined;
  /** The prefilter's scan of the value; undefined until asked. */
  analysis: ValueAnalysis | null | undefined;
  /** Regex-set answers by set id (bit i: the set's pattern i matches); undefined until asked. */
  setBits: Array<number | undefined> | undefined;
}

/**
 * A value offered to an operator: a collection entry (named `VARIABLE:key` on first use) or a scalar. It
 * carries the value's record (entryState) for the transaction that made it.
 */
export interface ValueRef {
  name?: string | undefined;
  key?: string | undefined;
  value: string;
  state?: unknown;
  stateOwner?: unknown;
}

/** The record of an entry's value, remembered on the entry so that later rules skip the map lookup. */
export function entryState(states: Map<string, ValueState>, entry: ValueRef): ValueState {
  const known = entry.state as ValueState | undefined;
  if (known !== undefined && entry.stateOwner === states && known.text === entry.value) return known;
  const state = valueState(states, entry.value);
  entry.state = state;
  entry.stateOwner = states;
  return state;
}

/** The record of `text`, created on first use. */
export function valueState(states: Map<string, ValueState>, text: string): ValueState {
  let state = states.get(text);
  if (state === undefined) {
    state = { text, chains: undefined, steps: undefined, unchangedBy: 0, alone: undefined, analysis: undefined, setBits: undefined };
    states.set(text, state);
  }
  return state;
}

/**
 * For one request collection and transformation chain: the prefilter patterns its values trigger (null: the
 * prefilter cannot tell), and the collection's size when that was computed (it only grows).
 */
export interface TriggeredView {
  size: number;
  triggered: TriggerSet | null;
}

/** What one collection triggers, for one transaction (rules/evaluate.ts mayMatchAny). */
export interface CollectionTriggerViews {
  readonly owner: object;
  /** The values as they are. */
  readonly raw: TriggeredView;
  /** The values each chain changes, by chain id (final values) and steps id (multiMatch). */
  readonly final: TriggeredView[];
  readonly steps: TriggeredView[];
}
