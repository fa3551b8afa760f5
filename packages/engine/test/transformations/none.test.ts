import { ALL_BYTES, checkVectors } from './vectors';

checkVectors('none', [
  ['', ''],
  ['TestCase', 'TestCase'],
  [ALL_BYTES, ALL_BYTES, 'every byte unchanged'],
]);
