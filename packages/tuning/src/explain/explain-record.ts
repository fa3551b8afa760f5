/**
 * What `rampart explain` tells about one transaction, as plain data (JSON for `--json` and the agent's trace
 * log). Built from the engine's evaluation trace (`@rampart/engine` TraceEvent), never by evaluating again.
 * Strings hold bytes as latin1, like the engine's.
 */
export interface ExplainRecord {
  /** The format of this record; a change that breaks readers makes it 2. */
  format: 'rampart-explain/1';
  id: string;
  request: {
    method: string;
    target: string;
    protocol: string;
    headers: Array<[string, string]>;
    body: string;
    clientIp: string;
    clientPort: number;
    serverIp: string;
    serverPort: number;
  };
  /** What the request reader assumed or left out (`no Content-Length: ...`). */
  notes: string[];
  phases: ExplainPhase[];
  verdict: ExplainVerdict;
  /** The anomaly scores at the end (TX variables whose name has `anomaly_score`), e.g. `blocking_inbound_anomaly_score`. */
  scores: Record<string, string>;
}

export interface ExplainPhase {
  phase: 1 | 2 | 3 | 4 | 5;
  /** Rules (and markers) the phase holds. */
  ruleCount: number;
  /** Why the phase's rules did not run at all. */
  skipped?: 'engine-off' | 'allow' | 'interrupted';
  /** The phase ended early (the transaction was interrupted). */
  stopped?: 'interrupted';
  /** How many rules ran (chain heads), and how many matched. */
  ran: number;
  matched: number;
  /** The rules kept in the record: every one that matched, and with `all` the others that ran (see ExplainOptions). */
  rules: ExplainRule[];
}

/** One transformation of a value: the transformation's name and its result. */
export interface ExplainTransformation {
  name: string;
  value: string;
}

/** One value a rule's operator looked at. */
export interface ExplainValue {
  /** `ARGS:comment`. */
  variable: string;
  /** The value as the request had it (known for the values that matched). */
  raw?: string;
  /** Each transformation in order, with what it made of the value. */
  transformations: ExplainTransformation[];
  /** What the operator saw. */
  value: string;
  matched: boolean;
  /** Where the operator matched in `value`: `[offset, length, ...]` (empty when the operator cannot say). */
  spans?: number[];
  /** Where `raw` came from in the request, as libmodsecurity counts it. */
  origins?: number[];
}

/** One rule of a chain as it ran: its operator and the values it looked at. */
export interface ExplainStep {
  /** The rule's position in its chain (0: the head). */
  position: number;
  line: number;
  operator: { name: string; negated: boolean; parameter: string };
  values: ExplainValue[];
  /** Values looked at and left out of the record (a rule that did not match, without `all` for their variable). */
  valuesOmitted: number;
  matched: boolean;
  captures: Array<{ index: number; value: string }>;
}

/** A rule (chain) that ran: what it is, how each of its rules fared, what it did. */
export interface ExplainRule {
  id: number;
  file: string;
  line: number;
  msg: string;
  tags: string[];
  /** From the `paranoia-level/N` tag (CRS). */
  paranoiaLevel?: number;
  severity?: number;
  /** The whole chain matched. */
  matched: boolean;
  steps: ExplainStep[];
  /** What the rule's actions changed: setvar (TX, IP, ...), setenv, ctl. */
  changes: Array<{ kind: 'set'; collection: string; key: string; value: string | undefined; previous: string | undefined } | { kind: 'ctl'; name: string; value: string } | { kind: 'env'; name: string; value: string | undefined }>;
  /** For a chain that matched: the message and logdata as logged, the disruptive action, whether it interrupted. */
  data?: string;
  logged?: boolean;
  /** How many messages the match wrote (error-log lines when `logged`): 1, or one per match of a multiMatch head. */
  messages?: number;
  disruptive?: string;
  interrupted?: boolean;
  status?: number;
  /** Why the rule did not run (ctl removals, skip, skipAfter, allow); such rules are kept with `all` only. */
  skipped?: string;
}

export interface ExplainVerdict {
  interrupted: boolean;
  status?: number;
  action?: string;
  /** The rule that decided: the one that interrupted, or in DetectionOnly the first whose action would have. */
  ruleId?: number;
  phase?: number;
  /** The engine's mode: in DetectionOnly (or without SecRuleEngine) rules log and never interrupt. */
  engine: string;
  /** In DetectionOnly: the rule that would have interrupted with SecRuleEngine On. */
  wouldInterrupt?: { ruleId: number; status: number | undefined; action: string };
  /**
   * The ids of the rules that matched and logged, in order, every phase: the ids of the error log's lines (a
   * rule that interrupts with `nolog` writes none; the interrupting rule is `ruleId`).
   */
  loggedRuleIds: number[];
}
