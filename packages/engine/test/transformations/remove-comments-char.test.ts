import { checkVectors } from './vectors';

checkVectors('removeCommentsChar', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['/* TestCase */', ' TestCase '],
  ['UNI/**/ON SEL/**/ECT', 'UNION SELECT'],
  ['a--b#c', 'abc'],
  ['<!--x-->', 'x'],
  ['---', '-', '-- is removed, the third dash stays'],
  ['/*/', '/'],
  ['*/*', '*'],
  ['\xe9/*\xff', '\xe9\xff'],
]);
