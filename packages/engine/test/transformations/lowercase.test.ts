import { transform } from '../../src/transformations';
import { bytes, checkVectors } from './vectors';

const HIGH = bytes(Array.from({ length: 128 }, (_, k) => k + 128));

checkVectors('lowercase', [
  ['', ''],
  ['testcase', 'testcase'],
  ['Test\0Case', 'test\0case'],
  ['TestCase', 'testcase'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{', 'abcdefghijklmnopqrstuvwxyz@[`{'],
  [HIGH, HIGH, 'bytes >= 0x80 are not letters in the C locale'],
  ['\xc0\xc9SELECT\xde', '\xc0\xc9select\xde', 'ASCII lowercased even next to high bytes'],
  ['already lower, no change', 'already lower, no change'],
  ['abcdefZ', 'abcdefz', 'a capital right after a no-change prefix'],
  ['\xe9t\xe9 \xc9T\xc9', '\xe9t\xe9 \xc9t\xc9', 'a capital after high bytes: only ASCII changes'],
  ['\xe9t\xe9', '\xe9t\xe9', 'high bytes and no capital: unchanged'],
  ['Z', 'z'],
  ['\xdeA', '\xdea'],
  [`\xc0${'aB'.repeat(200)}\xde`, `\xc0${'ab'.repeat(200)}\xde`, 'a long value with high bytes (Buffer path)'],
  [`${'x'.repeat(255)}\xc0A`, `${'x'.repeat(255)}\xc0a`, 'the Buffer path, capital after the first 256 bytes'],
]);

describe('t:lowercase on every length around the short/long boundary', () => {
  it.each([0, 1, 255, 256, 257])('length %i with high bytes', (len) => {
    const input = Array.from({ length: len }, (_, k) => String.fromCharCode([0x41, 0xc0, 0x5a, 0x61, 0xde, 0x40][k % 6] as number)).join('');
    const expected = input.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0x20));
    expect(transform('lowercase', input)).toBe(expected);
  });
});
