import { ALL_BYTES, checkVectors } from './vectors';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const ALL_ESCAPED = '+' + Array.from({ length: 256 }, (_, b) => `%${hex2(b)}`).join('');

checkVectors('urlDecode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case', 'NUL passes through'],
  [ALL_ESCAPED, ' ' + ALL_BYTES, 'every %HH, + is a space'],
  ['%C3%A9%FF', '\xc3\xa9\xff', 'uppercase hex, bytes >= 0x80'],
  ['Test+Case', 'Test Case'],
  ['%+', '% '],
  ['%%20', '% ', 'decoding resumes right after an invalid %'],
  ['%0g%20', '%0g '],
  ['%0%20', '%0 '],
  ['%g0%20', '%g0 '],
  ['%g%20', '%g '],
  ['%0%1%2%3%4%5%6%7%8%9%0%a%b%c%d%e%f', '%0%1%2%3%4%5%6%7%8%9%0%a%b%c%d%e%f'],
  ['%g0%g1%g2%ga%gf', '%g0%g1%g2%ga%gf'],
  ['%0g%1g%ag%fg', '%0g%1g%ag%fg'],
  ['%', '%', 'truncated at the end'],
  ['%0', '%0'],
  ['%%', '%%'],
  ['%gg', '%gg'],
  ['%u0041', '%u0041', '%u is not decoded by urlDecode'],
  ['%2541', '%41', 'decodes once only'],
  ['no-change prefix then %41', 'no-change prefix then A', 'an escape right after a long no-change prefix'],
  ['\xe9\xff+%e9', '\xe9\xff \xe9', 'high bytes before and after the first +'],
  [`${'x'.repeat(5000)}%41`, `${'x'.repeat(5000)}A`, 'longer than the shared output buffer'],
]);
