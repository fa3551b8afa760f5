/**
 * Values the agent puts in the `error` variable (`txn.<prefix>.error`). They sit above HAProxy's own
 * `set-on-error` codes (1..255 and 256 + SPOP status) so that one fail-closed rule,
 * `http-request deny deny_status 503 if { var(txn.modsec.error) -m int gt 0 }`, covers both and the log
 * still tells them apart.
 */
export const AgentErrorCode = {
  /** The rules are still compiling (start-up): nothing was inspected. */
  RulesNotReady: 1001,
  /** The NOTIFY had no message the agent knows, or a known one with the wrong arguments. */
  BadMessage: 1002,
  /** A response message for a transaction the agent does not hold (expired, evicted, never seen). */
  TransactionNotFound: 1003,
  /** The engine or a worker failed while inspecting. */
  InspectionFailed: 1004,
  /** A response message arrived but response checking is off for that application. */
  ResponseCheckDisabled: 1005,
  /** The agent is overloaded: too many inspections queued. */
  Overloaded: 1006,
  /** `--audit-fail closed`: the request was clean, but its audit record could not be written. */
  AuditLogFailed: 1007,
  /**
   * The persistent collections in Redis (`--collections`) could not be read or written for this transaction and
   * `--collections-unavailable deny` asks to fail closed.
   */
  CollectionsUnavailable: 1008,
} as const;

export type AgentErrorCode = (typeof AgentErrorCode)[keyof typeof AgentErrorCode];

/** A failure that becomes the `error` variable of the ACK instead of an exception. */
export class AgentError extends Error {
  constructor(
    readonly errorCode: AgentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
