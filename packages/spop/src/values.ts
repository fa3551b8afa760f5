import type { SpopValue } from './types';

/**
 * Constructors for `SpopValue`, so handlers can write `spopValue.uint32(403)` instead of object literals.
 * Integer constructors accept `number` or `bigint`; range checks happen when the value is encoded.
 */
export const spopValue = {
  null: (): SpopValue => ({ type: 'null' }),
  bool: (value: boolean): SpopValue => ({ type: 'bool', value }),
  int32: (value: number): SpopValue => ({ type: 'int32', value }),
  uint32: (value: number): SpopValue => ({ type: 'uint32', value }),
  int64: (value: number | bigint): SpopValue => ({ type: 'int64', value: BigInt(value) }),
  uint64: (value: number | bigint): SpopValue => ({ type: 'uint64', value: BigInt(value) }),
  ipv4: (value: string): SpopValue => ({ type: 'ipv4', value }),
  ipv6: (value: string): SpopValue => ({ type: 'ipv6', value }),
  string: (value: string): SpopValue => ({ type: 'string', value }),
  binary: (value: Buffer): SpopValue => ({ type: 'binary', value }),
} as const;
