/** Frame type bytes (spop.md 1.4). */
export const FrameType = {
  /** Continuation fragment (HAProxy <= 3.0 with the `fragmentation` capability only). */
  Unset: 0,
  HaproxyHello: 1,
  HaproxyDisconnect: 2,
  Notify: 3,
  AgentHello: 101,
  AgentDisconnect: 102,
  Ack: 103,
} as const;

export type FrameTypeId = (typeof FrameType)[keyof typeof FrameType];

/** Frame flag bits; bits 2-31 are reserved (sent as 0, ignored when received). */
export const FrameFlag = {
  Fin: 0x1,
  Abort: 0x2,
} as const;

/** A frame's header fields and its undecoded payload (a view into the received bytes). */
export interface RawFrame {
  type: number;
  flags: number;
  fin: boolean;
  abort: boolean;
  /** Opaque: echo it back. `number` when it fits in 2^53, else `bigint`. 0 is a valid stream id on HAProxy <= 3.0. */
  streamId: number | bigint;
  frameId: number | bigint;
  payload: Buffer;
}
