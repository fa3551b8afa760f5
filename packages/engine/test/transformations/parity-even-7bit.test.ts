import { checkVectors } from './vectors';

checkVectors('parityEven7bit', [
  ['', ''],
  ['cefijloqrtwx03569ABDGHKMNPSUVYZ', 'cefijloqrtwx03569ABDGHKMNPSUVYZ', 'already even'],
  [
    'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ',
    '\xe1\xe2c\xe4ef\xe7\xe8ij\xebl\xed\xeeo\xf0qr\xf3t\xf5\xf6wx\xf9\xfa0\xb1\xb23\xb456\xb7\xb89AB\xc3D\xc5\xc6GH\xc9\xcaK\xccMN\xcfP\xd1\xd2S\xd4UV\xd7\xd8YZ',
  ],
  ['a\0b', '\xe1\0\xe2', 'NUL has even parity'],
  ['\x81\xe1\xff', '\x01\x61\x7f', 'parity is computed over all 8 bits of the input byte, as ModSecurity does'],
]);
