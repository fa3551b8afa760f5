/**
 * @rampart/spop — HAProxy's Stream Processing Offload Protocol (SPOP 2.0), agent side: codec, stream reader,
 * connection state machine and server. Knows nothing of WAFs. Protocol reference: shared/docs/spop.md.
 *
 * ## Server
 *
 * ```ts
 * import { createSpopServer, decodeHdrsBin, spopValue, type SpopAction } from '@rampart/spop';
 *
 * const server = createSpopServer({
 *   // One call per NOTIFY, with every message of that event/group; the returned actions are its ACK.
 *   onMessages: async (messages, frame) => {
 *     const req = messages.find((m) => m.name === 'check-request');
 *     const hdrs = req?.args[9]?.value;
 *     const headers = hdrs?.type === 'binary' ? decodeHdrsBin(hdrs.value) : [];
 *     return blocked ? [{ type: 'set-var', scope: 'txn', name: 'code', value: spopValue.uint32(403) }] : [];
 *   },
 *   onHandlerError: () => [{ type: 'set-var', scope: 'txn', name: 'error', value: spopValue.uint32(1) }],
 *   maxFrameSize: 1 << 20, // announced as min(this, HAProxy's tune.bufsize - 4)
 *   logger: console,
 * });
 * await server.listen(12345);          // 127.0.0.1 by default; listen(0) picks a port
 * process.on('SIGTERM', () => void server.drain({ timeoutMs: 5000 }));
 * ```
 *
 * Behaviour, per connection:
 * - HELLO: answers version "2.0", max-frame-size = min(ours, HAProxy's) (then enforced both ways),
 *   capabilities = ours ∩ HAProxy's offer (only `pipelining` exists here). Missing/invalid keys get
 *   DISCONNECT 5/6/7/8/9. A health-check HELLO (`option spop-check`) is answered, then the socket closed.
 *   No HELLO within `helloTimeoutMs` → DISCONNECT 2.
 * - NOTIFY: dispatched at once (pipelining; at most `maxInFlight` handlers per connection, the socket is
 *   paused beyond that) and ACKed exactly once with the same stream/frame id, in completion order. Ids are
 *   opaque: sid 0.. on HAProxy <= 3.0, odd sids on 3.1+.
 * - Handler failure (throw/reject/non-array/unencodable actions): `onHandlerError`'s actions are ACKed;
 *   without the hook, AGENT-DISCONNECT 99 (3 for an ACK above max-frame-size), which HAProxy reports to the
 *   request as `set-on-error` = 256 + status so a fail-closed rule can act (verified on HAProxy 2.6).
 * - HAPROXY-DISCONNECT → AGENT-DISCONNECT 0 "normal" and close. FIN=0, ABORT or a type-0 fragment →
 *   DISCONNECT 10 (fragmentation is never announced). Oversize length → 3 (checked before buffering).
 *   Anything undecodable, agent-only frame types, NOTIFY before HELLO, a second HELLO → 4. Unknown frame
 *   types are skipped. EOF/RST at any time closes quietly; ACKs of work still running are dropped and
 *   `frame.connection.closedSignal` is aborted.
 * - After our DISCONNECT (or the peer's FIN) the socket is destroyed if not closed in `closeTimeoutMs`.
 *
 * ## Codec
 *
 * `FrameReader` (length-prefixed stream parser, subarray views, no per-chunk concat), `decodeFrame` /
 * `decodeFrameHeader`, `decodeKvList`, `decodeMessages`, `decodeActions`, `decodeHdrsBin` / `parseHdrsBin`;
 * `FrameWriter` (grows, back-patches lengths), `encodeAgentHello`, `encodeAck`, `encodeDisconnect`,
 * `encodeKvFrame`, `encodeNotify`, `encodeHdrsBin`; varints (`encodeVarint`, `readVarint`, 64-bit safe).
 * Decoders throw `SpopError` only (status 4 for malformed input, 3 for too big); encoders throw
 * `RangeError`/`TypeError` for values that cannot be represented.
 *
 * Values (`SpopValue`): strings are latin1 (one char per byte); INT64/UINT64 are `bigint` (HAProxy sends every
 * integer sample as INT64); INT32/UINT32 are `number`; IPv4/IPv6 are text as inet_ntop prints them;
 * BINARY is a `Buffer` view that stays valid after the reader moves on.
 */
export { ActionType, decodeActions, writeActions } from './actions';
export type {
  SpopConnectionInfo,
  SpopFrameInfo,
  SpopHandler,
  SpopHandlerErrorHook,
} from './connection';
export {
  MIN_FRAME_SIZE,
  MIN_MAX_FRAME_SIZE,
  decodeFrame,
  decodeFrameHeader,
  encodeAck,
  encodeAgentHello,
  encodeDisconnect,
  encodeKvFrame,
  encodeNotify,
  type AgentHelloFields,
} from './frame-codec';
export { FrameCursor } from './frame-cursor';
export { FrameReader } from './frame-reader';
export { FrameFlag, FrameType, type RawFrame } from './frame-type';
export { FrameWriter } from './frame-writer';
export { decodeHdrsBin, encodeHdrsBin, parseHdrsBin, type HdrsBinParse, type HeaderPair } from './hdrs-bin';
export { SPOP_VERSION, SUPPORTED_CAPABILITIES, negotiateHello, type HelloResult } from './hello';
export { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip-address';
export { decodeKvList, kvGet, writeKvList } from './kv-list';
export type { SpopLogger } from './logger';
export { decodeMessages, writeMessages } from './messages';
export { DEFAULT_MAX_FRAME_SIZE, createSpopServer, type SpopServer, type SpopServerOptions } from './server';
export { SpopError } from './spop-error';
export { SpopStatus, spopStatusCode, spopStatusMessage, type SpopStatusCode } from './status';
export { DataType, readTypedValue, writeTypedValue } from './typed-data';
export {
  SPOP_SCOPES,
  type SpopAction,
  type SpopArg,
  type SpopKv,
  type SpopMessage,
  type SpopScope,
  type SpopValue,
  type SpopValueType,
} from './types';
export { spopValue } from './values';
export { UINT64_MAX, decodeVarint, encodeVarint, readVarint, varintLength, writeVarint, type VarintRead } from './varint';
