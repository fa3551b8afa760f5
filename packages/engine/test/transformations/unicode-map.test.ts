import { readFileSync } from 'node:fs';
import { loadUnicodeMap } from '../../src/transformations';

const FILE = readFileSync('/work/shared/modsecurity/unicode.mapping', 'latin1');

describe('loadUnicodeMap', () => {
  it('reads the 20127 (US-ASCII) section of ModSecurity\'s unicode.mapping', () => {
    const map = loadUnicodeMap(FILE, 20127);
    expect(map.get(0x00a0)).toBe(0x20);
    expect(map.get(0x00c0)).toBe(0x41);
    expect(map.get(0xff01)).toBe(0x21);
    expect(map.get(0xff5e)).toBe(0x7e);
    expect(map.get(0x2018)).toBe(0x27);
    // U+F8DD is only in the 20261 (T.61) section that follows: it must not leak in.
    expect(map.get(0xf8dd)).toBeUndefined();
    expect(loadUnicodeMap(FILE, 20261).get(0xf8dd)).toBe(0x5c);
  });

  it('adds the RFC 3490 full stops', () => {
    const map = loadUnicodeMap(FILE, 20127);
    for (const cp of [0x3002, 0xff61, 0xff0e, 0x002e]) expect(map.get(cp)).toBe(0x2e);
  });

  it('reads other code pages and stops at the next section', () => {
    const cyrillic = loadUnicodeMap(FILE, 1251);
    const latin = loadUnicodeMap(FILE, 1252);
    expect(cyrillic.get(0x00c0)).toBe(0x41);
    expect(latin.get(0x00c0)).toBeUndefined();
    expect(latin.get(0x0100)).toBe(0x41);
  });

  it('parses a minimal file: sections, CRLF, and a later entry overriding a built-in', () => {
    const text = '1 (one)\r\n0041:61 3002:2c\r\n\r\n2 (two)\r\n0042:62\r\n';
    const one = loadUnicodeMap(text, 1);
    expect(one.get(0x41)).toBe(0x61);
    expect(one.get(0x3002)).toBe(0x2c);
    expect(one.get(0x42)).toBeUndefined();
    expect(loadUnicodeMap(text, 2).get(0x42)).toBe(0x62);
  });

  it('ignores code points above 0xFFFF', () => {
    expect(loadUnicodeMap('7\n10041:41 0043:43\n', 7).get(0x10041)).toBeUndefined();
    expect(loadUnicodeMap('7\n10041:41 0043:43\n', 7).get(0x43)).toBe(0x43);
  });

  it('refuses a code page that is missing or not a positive integer', () => {
    expect(() => loadUnicodeMap(FILE, 20172)).toThrow('code page 20172 is not in the unicode map file');
    expect(() => loadUnicodeMap(FILE, 0)).toThrow('positive integer');
    expect(() => loadUnicodeMap(FILE, 1.5)).toThrow('positive integer');
  });
});
