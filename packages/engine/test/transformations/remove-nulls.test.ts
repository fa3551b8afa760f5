import { checkVectors } from './vectors';

checkVectors('removeNulls', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['Test\0Case', 'TestCase'],
  ['\0\0Test\0\0Case\0\0', 'TestCase'],
  ['\0', ''],
  ['\xff\0\x80', '\xff\x80'],
]);
