import type { HeaderPair } from '@rampart/spop';

/**
 * One request as the agent inspects it, whichever message layout carried it (check-request with 12 or 8
 * positional args, coraza-req with named args). Strings are latin1 (one char per byte), as the engine wants.
 */
export interface RequestInput {
  /** Application to inspect with (coraza's `app` arg); undefined = the default application. */
  app: string | undefined;
  /** HAProxy's unique-id; empty when the frontend has no `unique-id-format` (the agent makes one up then). */
  uniqueId: string;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  method: string;
  /** Raw, not normalised, not decoded. */
  path: string;
  /** undefined when the URI has no `?` (HAProxy sends NULL); `''` for a trailing `?`. */
  query: string | undefined;
  /** As HAProxy sends it: `1.1`, `2.0` (no `HTTP/`). */
  version: string;
  headers: HeaderPair[];
  /** The body bytes HAProxy had in its buffer (possibly a prefix of the real body). */
  body: Buffer | undefined;
  /** `req.body_size`: what the client declared/sent; larger than `body.length` when HAProxy truncated it. */
  declaredBodySize: number | undefined;
  /**
   * Write this transaction's explain record to the trace log (`--trace-log`): set by the `trace` argument of the
   * message, or by the agent for the request header named by `--trace-header`. Ignored without a trace log.
   */
  trace?: boolean;
}

/** The response of a transaction whose request was inspected earlier (on-http-response event). */
export interface ResponseInput {
  app: string | undefined;
  /** The transaction id the request verdict returned (`id` variable), or the same unique-id. */
  id: string;
  status: number;
  version: string;
  headers: HeaderPair[];
  body: Buffer | undefined;
}
