import { checkVectors } from './vectors';

checkVectors('removeWhitespace', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case', 'NUL is not whitespace'],
  ['  Test \t\n\x0b\f\r Case  ', 'TestCase'],
  ['union\xa0select', 'unionselect', 'NBSP (0xA0) is removed'],
  ['a\xc2\xa0b', 'ab', 'UTF-8 NBSP is removed'],
  ['\xc2\xa9 2024', '\xa92024', 'v3 also removes 0xC2 from other UTF-8 characters'],
  ['\xe9\xff', '\xe9\xff'],
]);
