import { bytes, checkVectors } from './vectors';

const HIGH = bytes(Array.from({ length: 128 }, (_, k) => k + 128));

checkVectors('uppercase', [
  ['', ''],
  ['TESTCASE', 'TESTCASE'],
  ['Test\0Case', 'TEST\0CASE'],
  ['abcdefghijklmnopqrstuvwxyz@[`{', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{'],
  [HIGH, HIGH, 'bytes >= 0x80 are not letters (0xFF and 0xB5 would change in JavaScript)'],
  ['\xe0select\xff', '\xe0SELECT\xff'],
]);
