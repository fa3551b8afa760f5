/** What a disruptive rule asks the connector to do. */
export interface Interruption {
  /** HTTP status to answer with (403 by default for deny; 302 for redirect). */
  status: number;
  /** The rule (chain head) that interrupted; 0 for engine-level limits. */
  ruleId: number;
  action: 'deny' | 'drop' | 'redirect' | 'proxy' | 'pause';
  /** Redirect target, for `redirect`. */
  url?: string;
  /** The error-log line, when the rule logged one. */
  log?: string;
}

/** One value a rule's operator matched. */
export interface MatchedValue {
  /** `ARGS:q`. */
  variable: string;
  /** The value the operator saw (after transformations): MATCHED_VAR. */
  value: string;
  /** Where the operator matched in `value`: `[offset, length, ...]` (empty when the operator cannot say). */
  spans: readonly number[];
}

/** A rule (chain) that matched, as reported by `tx.matchedRules`. */
export interface MatchedRule {
  id: number;
  phase: number;
  file: string;
  line: number;
  msg: string;
  data: string;
  severity: number | undefined;
  tags: readonly string[];
  ver: string | undefined;
  rev: string | undefined;
  maturity: number | undefined;
  accuracy: number | undefined;
  /** Whether the match was written to the error log (`log`, not `nolog`). */
  logged: boolean;
  /**
   * Whether the match is listed in the audit record (ModSecurity v3's `m_saveMessage`: set by the last of `log`,
   * `auditlog` and cleared by the last of `nolog`, `noauditlog`; so `nolog,auditlog` is listed).
   */
  auditLogged: boolean;
  /** Whether this match interrupted the transaction. */
  disruptive: boolean;
  matchedVar: string;
  matchedVarName: string;
  /**
   * ModSecurity v3's match reference (the error log's `[ref]`, the JSON audit log's `details.reference`): for each
   * matching value of the chain, where the operator matched (`o` offset,length), where the value came from in the
   * request (`v`) and its transformations (`t:trim`). Empty when the chain neither logs nor interrupts.
   */
  reference: string;
  /**
   * Every value of the chain that matched, in order, with where its operator matched in it; recorded with the
   * reference (empty otherwise).
   */
  matches: readonly MatchedValue[];
  /** The error-log line, when the match was logged or interrupted. */
  logLine?: string;
  /**
   * ModSecurity v3's `m_match` for the value that matched last (`Matched "Operator ...' (Value: ...' )`), when
   * the match was logged or interrupted; audit records show it.
   */
  match?: string | undefined;
}
