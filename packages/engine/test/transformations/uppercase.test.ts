import { bytes, checkVectors } from './vectors';

const HIGH = bytes(Array.from({ length: 128 }, (_, k) => k + 128));

checkVectors('uppercase', [
  ['', ''],
  ['TESTCASE', 'TESTCASE'],
  ['Test\0Case', 'TEST\0CASE'],
  ['abcdefghijklmnopqrstuvwxyz@[`{', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{'],
  [HIGH, HIGH, 'bytes >= 0x80 are not letters (0xFF and 0xB5 would change in JavaScript)'],
  ['\xe0select\xff', '\xe0SELECT\xff'],
  ['ALREADY UPPER', 'ALREADY UPPER'],
  ['ABCDEFz', 'ABCDEFZ', 'a small letter right after a no-change prefix'],
  ['\xe9\xff', '\xe9\xff', 'high bytes and no small letter: unchanged'],
  [`\xff${'bA'.repeat(200)}`, `\xff${'BA'.repeat(200)}`, 'a long value with high bytes (Buffer path)'],
]);
