import { checkVectors } from './vectors';

const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('latin1');

checkVectors('utf8toUnicode', [
  ['', ''],
  ['TestCase', 'TestCase'],
  [utf8('\u0400 \u04ff'), '%u0400 %u04ff', 'two-byte sequences'],
  [utf8('\u25a0\u2701'), '%u25a0%u2701', 'three-byte sequences'],
  [utf8('\u{1f600}\u{10ffff}'), '%u1f600%u10ffff', 'four-byte sequences: five or six hex digits'],
  [utf8('caf\u00e9'), 'caf%u00e9', 'at least four digits, lowercase'],
  [utf8('\u0430\u0441\u0441'), '%u0430%u0441%u0441', 'Cyrillic'],
  ['\xc3(', '(', 'a lead byte with a bad continuation is dropped'],
  ['a\xe2\x82', 'a\x82', 'a truncated sequence: the lead byte is dropped, the stray continuation copied'],
  ['\xe2\x82(\xe2', '\x82(', 'decoding resumes right after a dropped lead byte'],
  ['\x80\xbf\xf8\xff', '\x80\xbf\xf8\xff', 'stray continuation bytes and F8-FF are copied'],
  ['\xc0\x80', '%u0000\xc0', 'overlong: the escape, then the raw lead byte'],
  ['\xe0\x80\xaf', '%u002f\xe0', 'overlong three-byte slash'],
  ['\xed\xa0\x80', '%ud800\xed', 'surrogate: the escape, then the raw lead byte'],
  ['\xf5\x80\x80\x80', '\xf5%u140000', 'lead bytes F5-F7: copied, then the escape'],
  ['\xf5(', '\xf5(', 'an invalid F5 sequence keeps only the copied lead byte'],
  ['a\0b', 'ab', 'an embedded NUL is dropped'],
  ['ab\0', 'ab\0', 'a NUL as the last byte is kept'],
  ['\0\0x', 'x'],
  ['plain ascii prefix \xc3\xa9', 'plain ascii prefix %u00e9', 'a sequence right after a no-change prefix'],
  ['\xc3\xa9 then ascii', '%u00e9 then ascii'],
  [utf8('\u00ff\u0100\u0fff\u1000\uffff'), '%u00ff%u0100%u0fff%u1000%uffff', 'four hex digits at each boundary'],
  [utf8('\u{10000}'), '%u10000', 'five digits from U+10000'],
]);
