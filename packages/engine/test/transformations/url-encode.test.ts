import { ALL_BYTES, checkVectors } from './vectors';

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');
const keep = (b: number): boolean => /[A-Za-z0-9*]/.test(String.fromCharCode(b));
const ALL_ENCODED = Array.from({ length: 256 }, (_, b) => (b === 0x20 ? '+' : keep(b) ? String.fromCharCode(b) : `%${hex2(b)}`)).join('');

checkVectors('urlEncode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test Case', 'Test+Case'],
  [ALL_BYTES, ALL_ENCODED, 'every byte: only letters, digits and * stay; lowercase hex'],
  ['% ', '%25+'],
  ['%0g ', '%250g+'],
  ['%g0 ', '%25g0+'],
  ['%', '%25'],
  ['%%', '%25%25'],
  ['-._~', '%2d%2e%5f%7e', 'unreserved characters are encoded too'],
  ['a\0b\xff', 'a%00b%ff'],
]);
