import { parseIpv6, type SpopValue } from '../../src';

/** Fixture JSON type names (`t`) to SpopValue types. */
export const FIXTURE_TYPES: Record<string, SpopValue['type']> = {
  null: 'null',
  bool: 'bool',
  int32: 'int32',
  uint32: 'uint32',
  int64: 'int64',
  uint64: 'uint64',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  str: 'string',
  bin: 'binary',
};

export interface FixtureValue {
  t: string;
  v?: unknown;
  hex?: string;
  len?: number;
}

function ipv6Bytes(s: string): string {
  const b = Buffer.alloc(16);
  parseIpv6(s, b, 0);
  return b.toString('hex');
}

/** Asserts that a decoded value is what the fixture JSON says (ints as decimal strings, IPv6 by bytes). */
export function expectSameValue(actual: SpopValue, expected: FixtureValue): void {
  expect(actual.type).toBe(FIXTURE_TYPES[expected.t]);
  switch (actual.type) {
    case 'null':
      expect(expected.v).toBeNull();
      break;
    case 'binary':
      expect(actual.value.toString('hex')).toBe(expected.hex);
      expect(actual.value.length).toBe(expected.len);
      break;
    case 'ipv6':
      expect(ipv6Bytes(actual.value)).toBe(ipv6Bytes(String(expected.v)));
      break;
    case 'int32':
    case 'uint32':
    case 'int64':
    case 'uint64':
      expect(String(actual.value)).toBe(String(expected.v));
      break;
    default:
      expect(actual.value).toBe(expected.v);
  }
}
