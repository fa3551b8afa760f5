import { ALL_BYTES, checkVectors } from './vectors';

checkVectors('length', [
  ['', '0'],
  ['ABCDEFGHIJKLMNOPQRSTUVWXYZ', '26'],
  ['Test\0Case', '9', 'NUL counts'],
  ['\xe9\xff', '2', 'bytes, not characters'],
  [ALL_BYTES.repeat(40), '10240'],
]);
