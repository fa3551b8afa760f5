import { checkVectors } from './vectors';

checkVectors('trimLeft', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['    TestCase', 'TestCase'],
  ['TestCase    ', 'TestCase    '],
  [' \t\r\n\x0b\fTest \0 Case \t ', 'Test \0 Case \t '],
  ['\0 x', '\0 x'],
  ['\xa0x', '\xa0x'],
  ['   ', ''],
]);
