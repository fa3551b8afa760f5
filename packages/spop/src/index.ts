/**
 * @rampart/spop — HAProxy's Stream Processing Offload Protocol (SPOP 2.0), agent side: codec, stream reader,
 * connection state machine and server. Knows nothing of WAFs.
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
