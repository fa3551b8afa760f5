import { checkVectors } from './vectors';

checkVectors('base64Decode', [
  ['', ''],
  ['VGVzdENhc2U=', 'TestCase'],
  ['VGVzdENhc2Ux', 'TestCase1'],
  ['VGVzdENhc2UxMg==', 'TestCase12'],
  ['VGVzdABDYXNl', 'Test\0Case'],
  ['VGVzdENhc2U=\0VGVzdENhc2U=', 'TestCase', 'stops at the padding; what follows is ignored'],
  ['VGVzdENhc2U=VGVzdENhc2U=', 'TestCase'],
  ['PFRFU1Q', '<TEST', 'missing padding is tolerated'],
  ['PFR FU1Q+', '<T', 'stops at the first invalid byte and decodes what came before'],
  ['QUJDR', 'ABC', 'a lone trailing sextet is dropped'],
  ['Q', ''],
  ['!dzBzV==', '', 'invalid first byte: nothing to decode'],
  ['eyJwIjoieHh-Ii', '{"p":"xx', 'base64url - is not in the alphabet'],
  ['+/+/', '\xfb\xff\xbf', 'bytes >= 0x80 in the output'],
  ['\xe9QUJD', ''],
]);
