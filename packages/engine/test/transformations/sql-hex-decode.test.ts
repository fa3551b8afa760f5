import { checkVectors } from './vectors';

checkVectors('sqlHexDecode', [
  ['', ''],
  ['0x414243', 'ABC'],
  ['ABC', 'ABC'],
  ['00x414243', '0ABC'],
  ['0xz0x414243', '0xzABC'],
  ['0x4142430x434241', 'ABCCBA'],
  ['0x4142430x0x434241', 'ABC0xCBA'],
  ['0X41', 'A', 'uppercase X'],
  ['0x414', 'A4', 'an odd last digit is kept'],
  ['0x4', '0x4', 'needs at least one pair'],
  ['SELECT 0x756e696f6e, 0xff00', 'SELECT union, \xff\0'],
]);
