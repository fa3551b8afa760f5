/**
 * A typed SPOP value (spop.md 1.3). Integers keep their wire type: HAProxy sends every integer sample as
 * INT64 (`src_port`, `req.body_size`, `status`), which is a `bigint` here so 64-bit values stay exact.
 * Strings are latin1 (one char per byte), binaries are `Buffer` views into the received frame (they stay
 * valid: the reader never reuses memory it handed out).
 */
export type SpopValue =
  | { type: 'null' }
  | { type: 'bool'; value: boolean }
  | { type: 'int32'; value: number }
  | { type: 'uint32'; value: number }
  | { type: 'int64'; value: bigint }
  | { type: 'uint64'; value: bigint }
  /** Dotted quad, e.g. `"127.0.0.1"`. */
  | { type: 'ipv4'; value: string }
  /** As glibc's `inet_ntop` prints it: `"::1"`, `"2001:db8::1"`, `"::ffff:10.0.0.1"`. */
  | { type: 'ipv6'; value: string }
  | { type: 'string'; value: string }
  | { type: 'binary'; value: Buffer };

export type SpopValueType = SpopValue['type'];

/** One message of a NOTIFY frame. Unnamed arguments (`args <sample> <sample>`) have `name: ''`. */
export interface SpopMessage {
  name: string;
  args: SpopArg[];
}

export interface SpopArg {
  name: string;
  value: SpopValue;
}

/** Variable scopes of SET-VAR / UNSET-VAR, in wire order (proc = 0 ... res = 4). */
export const SPOP_SCOPES = ['proc', 'sess', 'txn', 'req', 'res'] as const;
export type SpopScope = (typeof SPOP_SCOPES)[number];

/**
 * An action carried by an ACK. HAProxy names the variable `<scope>.<var-prefix>.<name>` (var-prefix defaults
 * to the spoe-agent name) in a 64-byte buffer: keep the whole name within 63 characters.
 */
export type SpopAction =
  | { type: 'set-var'; scope: SpopScope; name: string; value: SpopValue }
  | { type: 'unset-var'; scope: SpopScope; name: string };

/** One KEY/value pair of a HELLO or DISCONNECT frame. */
export interface SpopKv {
  name: string;
  value: SpopValue;
}
