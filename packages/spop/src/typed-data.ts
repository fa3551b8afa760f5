import type { FrameCursor } from './frame-cursor';
import type { FrameWriter } from './frame-writer';
import { latin1Slice } from './latin1';
import { formatIpv4, formatIpv6, parseIpv4, parseIpv6 } from './ip-address';
import { invalidFrame } from './spop-error';
import type { SpopValue } from './types';

/** Type ids of TYPED-DATA (low 4 bits of the type byte); 10-15 are reserved. */
export const DataType = {
  Null: 0,
  Bool: 1,
  Int32: 2,
  Uint32: 3,
  Int64: 4,
  Uint64: 5,
  Ipv4: 6,
  Ipv6: 7,
  String: 8,
  Binary: 9,
} as const;

const BOOL_TRUE_FLAG = 0x10;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const UINT32_MAX = 2 ** 32 - 1;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

function toInt64(raw: number | bigint): bigint {
  return BigInt.asIntN(64, BigInt(raw));
}

/**
 * Reads one TYPED-DATA. Reserved types (10-15) are rejected with status 4: their length is unknown, so
 * nothing after them could be parsed. Integers out of their type's range are rejected the same way.
 */
export function readTypedValue(c: FrameCursor): SpopValue {
  const tb = c.u8();
  switch (tb & 0x0f) {
    case DataType.Null:
      return { type: 'null' };
    case DataType.Bool:
      return { type: 'bool', value: (tb & BOOL_TRUE_FLAG) !== 0 };
    case DataType.Int32: {
      const raw = c.varint();
      if (typeof raw === 'number' && raw <= INT32_MAX) return { type: 'int32', value: raw };
      const v = toInt64(raw);
      if (v < BigInt(INT32_MIN) || v > BigInt(INT32_MAX)) throw invalidFrame('INT32 out of range');
      return { type: 'int32', value: Number(v) };
    }
    case DataType.Uint32: {
      const raw = c.varint();
      if (typeof raw !== 'number' || raw > UINT32_MAX) throw invalidFrame('UINT32 out of range');
      return { type: 'uint32', value: raw };
    }
    case DataType.Int64:
      return { type: 'int64', value: toInt64(c.varint()) };
    case DataType.Uint64:
      return { type: 'uint64', value: BigInt(c.varint()) };
    case DataType.Ipv4: {
      const b = c.bytes(4);
      return { type: 'ipv4', value: formatIpv4(b, 0) };
    }
    case DataType.Ipv6: {
      const b = c.bytes(16);
      return { type: 'ipv6', value: formatIpv6(b, 0) };
    }
    case DataType.String: {
      const n = c.length();
      return { type: 'string', value: latin1Slice(c.buf, c.pos, (c.pos += n)) };
    }
    case DataType.Binary:
      return { type: 'binary', value: c.bytes(c.length()) };
    default:
      throw invalidFrame(`reserved data type ${tb & 0x0f}`);
  }
}

function checkInteger(v: number, min: number, max: number, type: string): number {
  if (!Number.isInteger(v) || v < min || v > max) throw new RangeError(`${type} out of range: ${v}`);
  return v;
}

function checkBigInt(v: bigint, min: bigint, max: bigint, type: string): bigint {
  if (typeof v !== 'bigint' || v < min || v > max) throw new RangeError(`${type} out of range: ${String(v)}`);
  return v;
}

/**
 * Writes one TYPED-DATA. Out-of-range integers and malformed addresses throw `RangeError`/`TypeError`:
 * they are the caller's bug, not wire data. Strings are written as latin1 (one byte per char).
 */
export function writeTypedValue(w: FrameWriter, value: SpopValue): void {
  switch (value.type) {
    case 'null':
      w.u8(DataType.Null);
      return;
    case 'bool':
      w.u8(DataType.Bool | (value.value ? BOOL_TRUE_FLAG : 0));
      return;
    case 'int32': {
      const v = checkInteger(value.value, INT32_MIN, INT32_MAX, 'INT32');
      w.u8(DataType.Int32).varint(v >= 0 ? v : BigInt.asUintN(64, BigInt(v)));
      return;
    }
    case 'uint32':
      w.u8(DataType.Uint32).varint(checkInteger(value.value, 0, UINT32_MAX, 'UINT32'));
      return;
    case 'int64': {
      const v = checkBigInt(value.value, INT64_MIN, INT64_MAX, 'INT64');
      w.u8(DataType.Int64).varint(BigInt.asUintN(64, v));
      return;
    }
    case 'uint64':
      w.u8(DataType.Uint64).varint(checkBigInt(value.value, 0n, UINT64_MAX, 'UINT64'));
      return;
    case 'ipv4': {
      w.u8(DataType.Ipv4);
      const at = w.reserve(4);
      parseIpv4(value.value, w.target(), at);
      return;
    }
    case 'ipv6': {
      w.u8(DataType.Ipv6);
      const at = w.reserve(16);
      parseIpv6(value.value, w.target(), at);
      return;
    }
    case 'string':
      w.u8(DataType.String).latin1(value.value);
      return;
    case 'binary':
      w.u8(DataType.Binary).varint(value.value.length).bytes(value.value);
      return;
    default: {
      const never: never = value;
      throw new TypeError(`unknown SpopValue type: ${JSON.stringify((never as { type?: unknown }).type)}`);
    }
  }
}
