import { ALL_BYTES, checkVectors } from './vectors';

const ALL_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0')).join('');

checkVectors('hexDecode', [
  ['', ''],
  ['5465737443617365', 'TestCase'],
  ['546573740043617365', 'Test\0Case'],
  [ALL_HEX, ALL_BYTES, 'every byte'],
  [ALL_HEX.toUpperCase(), ALL_BYTES, 'uppercase digits'],
  ['01234567890a0z01234567890a', '\x01#Eg\x89\n#\x01#Eg\x89\n', 'pairs are not validated: "0z" is 0x23'],
  ['01234567890az', '\x01#Eg\x89\n', 'an odd last digit is dropped'],
  ['01234567890a0', '\x01#Eg\x89\n'],
  ['zz\0\0', 'S\xd0', 'garbage goes through the same arithmetic, modulo 256'],
]);
