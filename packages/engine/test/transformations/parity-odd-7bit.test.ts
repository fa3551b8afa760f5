import { checkVectors } from './vectors';

checkVectors('parityOdd7bit', [
  ['', ''],
  ['abdghkmnpsuvyz12478CEFIJLOQRTW', 'abdghkmnpsuvyz12478CEFIJLOQRTW', 'already odd'],
  [
    'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    'ab\xe3d\xe5\xe6gh\xe9\xeak\xecmn\xefp\xf1\xf2s\xf4uv\xf7\xf8yz\xb012\xb34\xb5\xb678\xb9\xc1\xc2C\xc4EF\xc7\xc8IJ\xcbL\xcd\xceO\xd0QR\xd3T\xd5\xd6WX\xd9\xda',
  ],
  ['a\0b', 'a\x80b', 'NUL gets the high bit'],
  ['\x81\xe1\xff', '\x81\xe1\xff', 'parity over all 8 bits'],
]);
