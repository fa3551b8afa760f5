import { ALL_BYTES, bytes, checkVectors } from './vectors';

const LOW = bytes(Array.from({ length: 256 }, (_, b) => b & 0x7f));

checkVectors('parityZero7bit', [
  ['', ''],
  ['TestCase', 'TestCase'],
  ['\xe1\xe2c\xe4\0', 'abcd\0'],
  [ALL_BYTES, LOW, 'every byte loses bit 7'],
]);
