import { atoll, stoi } from '../../src/operators/numeric';

/** C `atoll` (glibc, saturating) and `std::stoi` (0 when ModSecurity catches its exception), via BigInt. */
function model(s: string): { atoll: bigint; stoi: bigint } {
  const m = /^[ \t\n\v\f\r]*([+-]?)([0-9]+)/.exec(s);
  if (m === null) return { atoll: 0n, stoi: 0n };
  const v = BigInt(m[2] as string) * (m[1] === '-' ? -1n : 1n);
  const max64 = 9223372036854775807n;
  const min64 = -9223372036854775808n;
  return {
    atoll: v > max64 ? max64 : v < min64 ? min64 : v,
    stoi: v > 2147483647n || v < -2147483648n ? 0n : v,
  };
}

describe('atoll and stoi', () => {
  it.each<[string, number, number, string?]>([
    ['', 0, 0],
    ['0', 0, 0],
    ['1', 1, 1],
    ['5', 5, 5],
    ['-0', 0, 0],
    ['  \t-12abc', -12, -12],
    ['+7', 7, 7],
    ['+-7', 0, 0],
    ['- 7', 0, 0],
    ['000000000000000000000000012', 12, 12, 'leading zeros are not significant digits'],
    ['999999999999999', 999999999999999, 0, '15 digits: the exact path'],
    ['\xa05', 0, 0, 'NBSP is not C whitespace'],
    ['\xff', 0, 0],
    ['5\xff', 5, 5],
    ['\u01315', 0, 0],
  ])('%j gives atoll %d, stoi %d', (input, a, i) => {
    expect(Number(atoll(input))).toBe(a);
    expect(stoi(input)).toBe(i);
  });

  it('big values: saturated bigint for atoll, 0 for stoi', () => {
    expect(atoll('9999999999999999')).toBe(9999999999999999n);
    expect(atoll('99999999999999999999')).toBe(9223372036854775807n);
    expect(atoll('-9223372036854775809')).toBe(-9223372036854775808n);
    expect(stoi('2147483648')).toBe(0);
    expect(stoi('-2147483648')).toBe(-2147483648);
    expect(stoi('00000000002147483647')).toBe(2147483647);
  });

  it('agree with the BigInt definition on generated inputs', () => {
    const alphabet = ' \t+-0123456789x\xa0';
    let x = 0x1234567;
    for (let k = 0; k < 5000; k++) {
      let s = '';
      const len = k % 24;
      for (let j = 0; j < len; j++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        s += alphabet[(x >>> 0) % alphabet.length];
      }
      const want = model(s);
      expect([s, BigInt(atoll(s))]).toEqual([s, want.atoll]);
      expect([s, BigInt(stoi(s))]).toEqual([s, want.stoi]);
    }
  });
});
