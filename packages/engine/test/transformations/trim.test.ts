import { checkVectors } from './vectors';

checkVectors('trim', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['    TestCase', 'TestCase'],
  ['TestCase    ', 'TestCase'],
  ['    TestCase    ', 'TestCase'],
  ['    Test   Case    ', 'Test   Case'],
  ['    Test \0 Case    ', 'Test \0 Case'],
  [' \t   Test \0 Case \t  \t   \r\n  ', 'Test \0 Case'],
  ['\x0b\fx\x0b\f', 'x', 'vertical tab and form feed are whitespace'],
  ['\0x\0', '\0x\0', 'NUL is not whitespace'],
  ['\xa0x\xa0', '\xa0x\xa0', 'NBSP is not whitespace'],
  [' \t\r\n ', ''],
]);
