import { writeActions } from './actions';
import { FrameCursor } from './frame-cursor';
import { FrameFlag, FrameType, type RawFrame } from './frame-type';
import { FrameWriter } from './frame-writer';
import { writeKvList } from './kv-list';
import { writeMessages } from './messages';
import { invalidFrame } from './spop-error';
import { spopStatusMessage } from './status';
import type { SpopAction, SpopKv, SpopMessage } from './types';

/** type(1) + flags(4) + stream-id(>=1) + frame-id(>=1). */
export const MIN_FRAME_SIZE = 7;

/** The smallest max-frame-size either peer may announce. */
export const MIN_MAX_FRAME_SIZE = 256;

/**
 * Splits a frame body (the bytes after the 4-byte length) into header fields and a payload view.
 * Throws `SpopError` status 4 when the header is truncated.
 */
export function decodeFrameHeader(body: Buffer): RawFrame {
  const c = new FrameCursor(body);
  const type = c.u8();
  const flags = c.u32();
  const streamId = c.varint();
  const frameId = c.varint();
  return {
    type,
    flags,
    fin: (flags & FrameFlag.Fin) !== 0,
    abort: (flags & FrameFlag.Abort) !== 0,
    streamId,
    frameId,
    payload: body.subarray(c.pos),
  };
}

/** Decodes one complete frame *including* its 4-byte length prefix (the length must match exactly). */
export function decodeFrame(bytes: Buffer): RawFrame {
  if (bytes.length < 4) throw invalidFrame('truncated length');
  const len = bytes.readUInt32BE(0);
  if (len !== bytes.length - 4) throw invalidFrame(`length field ${len} but ${bytes.length - 4} bytes follow`);
  return decodeFrameHeader(bytes.subarray(4));
}

/** Any frame whose payload is a KV-LIST (HELLO and DISCONNECT, both directions); sid = fid = 0, FIN. */
export function encodeKvFrame(type: number, kv: Iterable<SpopKv>, maxFrameSize?: number): Buffer {
  const w = new FrameWriter(128).begin(type, FrameFlag.Fin, 0, 0);
  writeKvList(w, kv);
  return w.end(maxFrameSize).finish();
}

export interface AgentHelloFields {
  /** Always `"2.0"` in practice: HAProxy 2.6 and 3.x reject anything else with DISCONNECT 8. */
  version?: string;
  maxFrameSize: number;
  capabilities: readonly string[];
}

/** AGENT-HELLO: `version` STRING, `max-frame-size` UINT32, `capabilities` STRING (comma list). */
export function encodeAgentHello(f: AgentHelloFields): Buffer {
  return encodeKvFrame(FrameType.AgentHello, [
    { name: 'version', value: { type: 'string', value: f.version ?? '2.0' } },
    { name: 'max-frame-size', value: { type: 'uint32', value: f.maxFrameSize } },
    { name: 'capabilities', value: { type: 'string', value: f.capabilities.join(',') } },
  ]);
}

/** DISCONNECT (AGENT by default): `status-code` UINT32 and `message` STRING (HAProxy's text by default). */
export function encodeDisconnect(
  status: number,
  message: string = spopStatusMessage(status),
  type: number = FrameType.AgentDisconnect,
): Buffer {
  return encodeKvFrame(type, [
    { name: 'status-code', value: { type: 'uint32', value: status } },
    { name: 'message', value: { type: 'string', value: message } },
  ]);
}

/**
 * ACK for the NOTIFY (streamId, frameId). Throws `SpopError` status 3 when it would exceed `maxFrameSize`,
 * `TypeError`/`RangeError` for malformed actions.
 */
export function encodeAck(
  streamId: number | bigint,
  frameId: number | bigint,
  actions: readonly SpopAction[],
  maxFrameSize?: number,
): Buffer {
  const w = new FrameWriter(actions.length === 0 ? 16 : 64).begin(FrameType.Ack, FrameFlag.Fin, streamId, frameId);
  writeActions(w, actions);
  return w.end(maxFrameSize).finish();
}

/** NOTIFY, as HAProxy sends it: for tests and tools that play HAProxy's part. `flags` defaults to FIN. */
export function encodeNotify(
  streamId: number | bigint,
  frameId: number | bigint,
  messages: readonly SpopMessage[],
  flags: number = FrameFlag.Fin,
): Buffer {
  const w = new FrameWriter(256).begin(FrameType.Notify, flags, streamId, frameId);
  writeMessages(w, messages);
  return w.end().finish();
}
