import { readFileSync } from 'node:fs';
import { findTransformation, loadUnicodeMap } from '../../src/transformations';
import { ALL_BYTES, bytes, checkVectors } from './vectors';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const ALL_ESCAPED = '+' + Array.from({ length: 256 }, (_, b) => `%${hex2(b)}`).join('');
const ALL_U00 = '+' + Array.from({ length: 256 }, (_, b) => `%u00${hex2(b)}`).join('');
const ALL_U11 = '+' + Array.from({ length: 256 }, (_, b) => `%u11${hex2(b)}`).join('');
const FULL_WIDTH = Array.from({ length: 0x5e }, (_, k) => `%uff${hex2(k + 1)}`).join('');
const FULL_WIDTH_ASCII = bytes(Array.from({ length: 0x5e }, (_, k) => k + 0x21));

checkVectors('urlDecodeUni', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  [ALL_ESCAPED, ' ' + ALL_BYTES, 'every %HH'],
  [ALL_U00, ' ' + ALL_BYTES, 'every %u00HH'],
  [ALL_U11, ' ' + ALL_BYTES, 'without a map only the low byte is kept'],
  [FULL_WIDTH, FULL_WIDTH_ASCII, 'full-width ASCII %uFF01-%uFF5E maps to 0x21-0x7E'],
  ['%uFF01%Uff3c', '!\\', 'upper/lowercase u and hex digits'],
  ['%uff00%uff5f%uff7f%uff80%uffff', '\x00\x5f\x7f\x80\xff', 'outside FF01-FF5E: low byte only'],
  ['%u2215', '\x15', 'no map: U+2215 keeps its low byte'],
  ['Test+Case', 'Test Case'],
  ['%+', '% '],
  ['%%20', '% '],
  ['%0g%20', '%0g '],
  ['%g%20', '%g '],
  ['%%u0020', '% '],
  ['%0g%u0020', '%0g '],
  ['%0%u0020', '%0 '],
  ['%u%u0020', '%u ', 'invalid %u: keep "%u" and resume after it'],
  ['%u0%u0020', '%u0 '],
  ['%u00%u0020', '%u00 '],
  ['%u000%u0020', '%u000 '],
  ['%u000g%u0020', '%u000g '],
  ['%u004', '%u004', 'truncated %u at the end'],
  ['%u', '%u'],
  ['%0%1%2%3%4%5%6%7%8%9%0%a%b%c%d%e%f', '%0%1%2%3%4%5%6%7%8%9%0%a%b%c%d%e%f'],
  ['%', '%'],
  ['%0', '%0'],
  ['%%', '%%'],
  ['%0g', '%0g'],
  ['%gg', '%gg'],
  ['no-change prefix then %u0041', 'no-change prefix then A', 'an escape right after a long no-change prefix'],
  ['\xe9+%uff01\xff', '\xe9 !\xff', 'high bytes around the escapes'],
  [`${'x'.repeat(5000)}%u0041`, `${'x'.repeat(5000)}A`, 'longer than the shared output buffer'],
]);

describe('t:urlDecodeUni with SecUnicodeMapFile unicode.mapping 20127', () => {
  const unicodeMap = loadUnicodeMap(readFileSync('/work/shared/modsecurity/unicode.mapping', 'latin1'), 20127);
  const t = findTransformation('urlDecodeUni');

  checkVectors('urlDecodeUni', [
    ['%u00c0', 'A', 'mapped: U+00C0 -> A'],
    ['%u2018%u201c%u2039', '\'"<', 'mapped: typographic quotes and angle quote become ASCII'],
    ['%u2215', '\x15', 'not in the 20127 section: low byte'],
    ['%u3002', '.', 'built-in RFC 3490 full stop'],
    ['%uff0f', '/', 'full-width solidus is in the map'],
    ['%u5f00', '\x00', 'unmapped: low byte, as without a map'],
    ['%uff5e', '~', 'full-width fold still applies to what the map leaves out'],
    ['%41%u0041+', 'AA ', '%HH and + are unaffected'],
  ], { unicodeMap });

  it('changes the result only through the map', () => {
    expect(t?.transform('%u00c0', {})).toBe('\xc0');
    expect(t?.transform('%u00c0', { unicodeMap })).toBe('A');
  });
});
