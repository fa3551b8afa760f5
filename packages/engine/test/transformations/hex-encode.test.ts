import { ALL_BYTES, checkVectors } from './vectors';

const ALL_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join('');

checkVectors('hexEncode', [
  ['', ''],
  ['TestCase', '5465737443617365'],
  ['Test\0Case', '546573740043617365'],
  [ALL_BYTES, ALL_HEX, 'every byte, lowercase hex'],
]);
