import { checkVectors } from './vectors';

checkVectors('base64DecodeExt', [
  ['', ''],
  ['VGVzdENhc2U=', 'TestCase'],
  ['VGVzdENhc2Ux', 'TestCase1'],
  ['VGVzdENhc2UxMg==', 'TestCase12'],
  ['VGVzdABDYXNl', 'Test\0Case'],
  ['P.HNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', '<script>alert(1)</script>', 'invalid bytes are skipped'],
  ['dzBzV==YWxlcnQoMSk=', '', 'a single = after the first sextet of a quantum empties the result'],
  ['eyJwIjoieHh-IiwiYWxnIjoibm9uZSIsInR5cCI6IkpXVCJ9', '{"p":"xx~","alg":"none","typ":"JWT"}', 'base64url - and _'],
  ['\xa9dzBz', 'w0s', 'a leading byte >= 0x80 is skipped (Coraza issue #1661)'],
  ['dz\xa9Bz', 'w0s'],
  ['dzBz\xa9', 'w0s'],
  ['\xa9dzBzV==', '', '"==" after a single sextet empties the result, as in ModSecurity'],
  ['dzBzVw==', 'w0sW'],
  ['VGVz dENh\r\nc2U=', 'TestCase', 'whitespace is skipped'],
  ['VGVz=dENh', 'TestCa', 'padding at a quantum boundary in the middle is skipped'],
  ['VGVz\0dENh', 'TestCa', 'NUL is skipped'],
  ['QUJDR', 'ABC'],
  ['QUJD9', 'ABC', 'a final "9" is data, not padding (ModSecurity bug not reproduced)'],
  ['!!!', ''],
]);
