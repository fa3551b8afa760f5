import { checkVectors } from './vectors';

checkVectors('replaceComments', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test\0Case'],
  ['/* TestCase */', ' '],
  ['/*TestCase*/', ' '],
  ['Before/* TestCase */After', 'Before After'],
  ['Before /* TestCase */ After', 'Before   After'],
  ['/* Test\r\nCase */', ' '],
  ['Before/* Test\r\nCase ', 'Before ', 'an unterminated comment becomes one space'],
  ['Before /* Test\nCase ', 'Before  '],
  ['Test\r\nCase */After', 'Test\r\nCase */After', 'a lone */ is kept'],
  ['SELECT/**//**/UNION', 'SELECT  UNION', 'each comment is one space'],
  ['/*/', ' ', '/*/ opens a comment that is never closed'],
  ['a-- b#c', 'a-- b#c', '-- and # are not touched'],
  ['\xe9/*\xff*/\x80', '\xe9 \x80'],
]);
