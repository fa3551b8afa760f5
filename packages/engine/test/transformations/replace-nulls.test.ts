import { checkVectors } from './vectors';

checkVectors('replaceNulls', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'Test Case'],
  ['\0\0Test\0\0Case\0\0', '  Test  Case  ', 'each NUL becomes one space'],
  ['\xff\0\x80', '\xff \x80'],
]);
