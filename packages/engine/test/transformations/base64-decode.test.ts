import { transform } from '../../src/transformations';
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
  ['Q\xe9UJD', '', 'one sextet, then a high byte: no byte to make'],
  ['QU\xe9JD', 'A', 'a high byte right after the shortest usable prefix'],
  ['QUJD\x80', 'ABC'],
  ['QUJD\u0141QUJD', 'ABC', 'a char above 0xff stops decoding like any byte outside the alphabet'],
  ['//79', '\xff\xfe\xfd'],
  ['QUJDRA', 'ABCD', 'two trailing sextets make one byte'],
  ['QUJDREU', 'ABCDE', 'three trailing sextets make two bytes'],
  ['QR', 'A', 'the low bits of a trailing sextet are dropped'],
]);

/** Buffer's native decoder applied to the usable prefix: the semantics the JS decoder must keep. */
function model(input: string): string {
  const bad = input.search(/[^A-Za-z0-9+/]/);
  let usable = bad < 0 ? input.length : bad;
  if (usable % 4 === 1) usable--;
  return usable <= 0 ? '' : Buffer.from(input.slice(0, usable), 'base64').toString('latin1');
}

describe('t:base64Decode short (JS) and long (native) paths', () => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  it.each([0, 1, 2, 3, 4, 5, 47, 48, 63, 64, 65, 66, 67, 68, 127, 128, 129, 1000, 1001])(
    'agrees with the native decoder on %i base64 chars, alone and before padding or a high byte',
    (len) => {
      let text = '';
      for (let k = 0; k < len; k++) text += alphabet[(k * 37 + len) % 64];
      for (const suffix of ['', '=', '==', '\xff', ' tail', '\0QUJD']) {
        expect(transform('base64Decode', text + suffix)).toBe(model(text + suffix));
      }
    },
  );
});
