/**
 * The error an operator's `compile` throws on an argument it cannot accept. The engine's compiler wraps it
 * into a RuleCompileError carrying the rule's file:line:col; `code` is stable for tools and tests.
 */
export type OperatorErrorCode =
  /** The argument is malformed (bad number, bad range, bad IP, bad regex...). */
  | 'bad-argument'
  /** The operator exists in some engine but Rampart refuses it (the message says why). */
  | 'unsupported-operator'
  /** A WAF-wide setting the operator needs is missing or disabled (SecGeoLookupDb, allowInspectFile...). */
  | 'missing-configuration'
  /** A data file could not be read. */
  | 'data-file';

export class OperatorCompileError extends Error {
  override readonly name = 'OperatorCompileError';
  constructor(
    readonly code: OperatorErrorCode,
    message: string,
  ) {
    super(message);
  }
}
