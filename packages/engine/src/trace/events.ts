import type { CompiledRule, DisruptiveKind } from '../rules/compiled-rule';
import type { Transaction } from '../transaction';

/**
 * The evaluation trace: what the rule evaluator did for one transaction, as a stream of typed events. The debug
 * log writes them in ModSecurity v3's words (trace/debug-log-sink.ts, SecDebugLogLevel 4 and 9); a tool that
 * explains a verdict (`rampart explain`) records them (trace/recorder.ts). Events are built only for a
 * transaction that has a sink, so an untraced transaction pays one check per rule.
 *
 * Offsets (`spans`, `origins`) are `[offset, length, ...]` pairs: where the operator matched in the value it saw,
 * and where that value came from in the request, counted as libmodsecurity v3 counts (log/variable-origins.ts).
 */
export interface TraceSink {
  /**
   * Whether the sink wants the events of every value a rule looks at (`transformation`, `target-value`). The
   * others (`match` included) come whenever the sink is attached. The debug log wants them at level 9 only.
   */
  readonly values: boolean;
  /**
   * `false`: no `match` events (placing a match in the request costs some work; the debug log has no words for
   * it). Default: sent.
   */
  readonly matches?: boolean;
  /** Receives one event. Must not throw (an exception would stop the transaction). */
  event(e: TraceEvent, tx: Transaction): void;
}

/** A phase starts, or is passed over without running its rules (`skipped`). */
export interface PhaseEvent {
  kind: 'phase';
  phase: 1 | 2 | 3 | 4 | 5;
  /** Rules (and markers) the phase holds. */
  ruleCount: number;
  /** `engine-off`: SecRuleEngine Off; `allow`: an earlier allow covers the phase; `interrupted`: the transaction was interrupted earlier. */
  skipped?: 'engine-off' | 'allow' | 'interrupted';
}

/** The rest of a phase is passed over: the transaction was interrupted (its rules are not run either). */
export interface PhaseStoppedEvent {
  kind: 'phase-stopped';
  phase: 1 | 2 | 3 | 4 | 5;
  reason: 'interrupted';
}

/** A rule starts: its operator runs over its targets (`parameter`: the operator's argument, macros expanded). */
export interface RuleStartEvent {
  kind: 'rule';
  /** The rule; a chained rule (rule.head !== rule) runs because the rules before it in the chain matched. */
  rule: CompiledRule;
  parameter: string;
}

/** A rule does not run. */
export interface RuleSkippedEvent {
  kind: 'rule-skipped';
  rule: CompiledRule;
  /**
   * `skip` / `skipAfter`: an earlier rule's flow action (`remaining` rules still to skip, `marker` the SecMarker
   * looked for); `allow`: an allow earlier in the phase; `ctl-remove-id` / `ctl-remove-tag` / `ctl-remove-msg`:
   * removed for this transaction by ctl:ruleRemoveById/ByTag/ByMsg; `removed-id` / `removed-msg` / `removed-tag`:
   * removed from the rule set by SecRuleRemoveById/ByMsg/ByTag (the rule never runs; named where it stood).
   */
  reason: 'skip' | 'skipAfter' | 'allow' | 'ctl-remove-id' | 'ctl-remove-tag' | 'ctl-remove-msg' | 'removed-id' | 'removed-msg' | 'removed-tag';
  remaining?: number;
  marker?: string;
}

/**
 * One transformation of the rule's chain applied to a value (`step`: v3's counter, 0 unless multiMatch, where it
 * counts the transformations that changed the value). `value` is the result.
 */
export interface TransformationEvent {
  kind: 'transformation';
  rule: CompiledRule;
  /** `ARGS:q`. */
  variable: string;
  step: number;
  /** `t:lowercase`. */
  name: string;
  value: string;
}

/** The operator runs against a value (after the transformations). */
export interface TargetValueEvent {
  kind: 'target-value';
  rule: CompiledRule;
  variable: string;
  value: string;
  /** With multiMatch: how many values of this variable the operator is tried on (the original and each change). */
  candidates?: number;
}

/** The operator matched a value (for a negated operator: it did not, so the rule matched). */
export interface MatchEvent {
  kind: 'match';
  rule: CompiledRule;
  variable: string;
  /** The value the operator saw (MATCHED_VAR). */
  value: string;
  /** The value as the request had it, before transformations. */
  raw: string;
  /** Where the operator matched in `value` (empty when it cannot say, or negated). */
  spans: readonly number[];
  /** Where `raw` came from in the request (empty for values v3 does not place: TX, counts...). */
  origins: readonly number[];
  /** The transformations that made `value`, v3's way: `t:lowercase,t:trim`. */
  transformations: string;
}

/** The operator stored a capture (TX:0-9) for a rule with `capture`. */
export interface CaptureEvent {
  kind: 'capture';
  rule: CompiledRule;
  index: number;
  value: string;
}

/** A rule's operator ran over all its targets: `matched` when at least one value matched. */
export interface RuleResultEvent {
  kind: 'rule-result';
  rule: CompiledRule;
  matched: boolean;
}

/** A setvar wrote a variable (`value` undefined: deleted); `collection` is TX, IP, SESSION, USER, GLOBAL or RESOURCE. */
export interface VariableSetEvent {
  kind: 'variable-set';
  rule: CompiledRule;
  collection: string;
  key: string;
  value: string | undefined;
  /** The value before, when the collection had one. */
  previous: string | undefined;
}

/** A setenv wrote ENV (`value` undefined: removed). */
export interface EnvironmentSetEvent {
  kind: 'env-set';
  rule: CompiledRule;
  name: string;
  value: string | undefined;
}

/** A ctl action changed the transaction's configuration (`ruleEngine`, `ruleRemoveById`, ...). */
export interface ControlEvent {
  kind: 'ctl';
  rule: CompiledRule;
  name: string;
  value: string;
}

/**
 * A whole chain matched: what it logs and decides. `disruptive` is the action it takes (block resolved through
 * SecDefaultAction), `interrupted` whether it stopped the transaction (SecRuleEngine On); `reference` and
 * `matches` as on MatchedRule, filled when the chain logs, interrupts or sanitises.
 */
export interface ChainMatchedEvent {
  kind: 'chain-matched';
  rule: CompiledRule;
  msg: string;
  data: string;
  tags: readonly string[];
  severity: number | undefined;
  logged: boolean;
  /**
   * How many messages the match wrote (error-log lines when `logged`, entries of `tx.matchedRules`): 1, or for
   * a multiMatch head that logs one per value it matched, as libmodsecurity v3 writes them (msg and data here
   * are the last one's).
   */
  messages: number;
  disruptive: DisruptiveKind | undefined;
  interrupted: boolean;
  status: number | undefined;
  /** The engine mode: a disruptive action runs only when it is On. */
  engine: 'On' | 'Off' | 'DetectionOnly';
}

/** An allow matched: rules of `scope` are passed over from now on. */
export interface AllowEvent {
  kind: 'allow';
  rule: CompiledRule;
  scope: 'all' | 'phase' | 'request';
}

export type TraceEvent =
  | PhaseEvent
  | PhaseStoppedEvent
  | RuleStartEvent
  | RuleSkippedEvent
  | TransformationEvent
  | TargetValueEvent
  | MatchEvent
  | CaptureEvent
  | RuleResultEvent
  | VariableSetEvent
  | EnvironmentSetEvent
  | ControlEvent
  | ChainMatchedEvent
  | AllowEvent;
