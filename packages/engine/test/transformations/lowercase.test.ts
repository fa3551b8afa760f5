import { bytes, checkVectors } from './vectors';

const HIGH = bytes(Array.from({ length: 128 }, (_, k) => k + 128));

checkVectors('lowercase', [
  ['', ''],
  ['testcase', 'testcase'],
  ['Test\0Case', 'test\0case'],
  ['TestCase', 'testcase'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZ@[`{', 'abcdefghijklmnopqrstuvwxyz@[`{'],
  [HIGH, HIGH, 'bytes >= 0x80 are not letters in the C locale'],
  ['\xc0\xc9SELECT\xde', '\xc0\xc9select\xde', 'ASCII lowercased even next to high bytes'],
]);
