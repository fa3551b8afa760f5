import { checkVectors } from './vectors';

checkVectors('base64Encode', [
  ['', ''],
  ['TestCase', 'VGVzdENhc2U='],
  ['TestCase1', 'VGVzdENhc2Ux'],
  ['TestCase12', 'VGVzdENhc2UxMg=='],
  ['Test\0Case', 'VGVzdABDYXNl'],
  ['\xfb\xff\xbf', '+/+/', 'bytes >= 0x80, standard alphabet'],
]);
