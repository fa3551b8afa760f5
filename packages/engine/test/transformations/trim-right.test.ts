import { checkVectors } from './vectors';

checkVectors('trimRight', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['    TestCase', '    TestCase'],
  ['TestCase    ', 'TestCase'],
  ['    Test   Case    ', '    Test   Case'],
  [' \tTest \0 Case \t\r\n\x0b\f', ' \tTest \0 Case'],
  ['x \0', 'x \0'],
  ['x\xa0', 'x\xa0'],
  ['   ', ''],
]);
