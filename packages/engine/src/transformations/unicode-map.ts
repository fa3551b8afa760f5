import { RampartError } from '../errors';

/**
 * Mappings ModSecurity installs before reading the file (RFC 3490 section 3.1 full stops), so they hold for
 * every code page unless the file overrides them.
 */
const BUILTIN: readonly (readonly [number, number])[] = [
  [0x3002, 0x2e],
  [0xff61, 0x2e],
  [0xff0e, 0x2e],
  [0x002e, 0x2e],
];

const TOKEN = /[^ \t\r\n]+/g;

/** C's `atol` on a token without leading blanks: optional sign, then decimal digits. */
function atol(token: string): number {
  const m = /^[+-]?\d+/.exec(token);
  return m ? Number(m[0]) : 0;
}

/** C's `sscanf("%x")`: optional sign and `0x`, then hex digits; undefined when there are none. */
function scanHex(text: string): number | undefined {
  const m = /^([+-]?)(?:0[xX](?=[0-9a-fA-F]))?([0-9a-fA-F]+)/.exec(text);
  if (!m || m[2] === undefined) return undefined;
  const v = parseInt(m[2].slice(-8), 16) | 0;
  return m[1] === '-' ? -v | 0 : v;
}

/**
 * Parses ModSecurity's `unicode.mapping` (the file of `SecUnicodeMapFile FILE CODEPAGE`) for one code page,
 * into code point -> byte, for urlDecodeUni's `%uHHHH`.
 *
 * The file is a sequence of whitespace-separated tokens: a code page number (`20127`) followed by its
 * `hhhh:hh` pairs (code point : byte, hex). As in ModSecurity, the section starts at the first token whose
 * leading decimal number equals `codePage` and ends at the first token without `:` after a pair was read;
 * pairs with a code point outside 0-0xFFFF are ignored, and the RFC 3490 full stops (U+3002, U+FF0E, U+FF61)
 * map to `.` unless the file says otherwise.
 *
 * Throws a RampartError (`unicode-map`) when `codePage` is not a positive integer or the file has no section
 * for it: ModSecurity silently keeps only the built-in full stops then, which hides a typo in the code page.
 * @example SecUnicodeMapFile unicode.mapping 20127
 */
export function loadUnicodeMap(fileText: string, codePage: number): Map<number, number> {
  if (!Number.isInteger(codePage) || codePage <= 0) {
    throw new RampartError('unicode-map', `SecUnicodeMapFile: the code page must be a positive integer, got ${codePage}`);
  }
  const map = new Map<number, number>(BUILTIN);
  let found = false;
  let reading = false;
  let code = 0;
  let byte = 0;
  for (const [token] of fileText.matchAll(TOKEN)) {
    if (atol(token) === codePage) found = true;
    const colon = token.indexOf(':');
    if (found && colon >= 0) {
      reading = true;
      // As with sscanf into variables kept across iterations, an unreadable half keeps the previous value.
      code = scanHex(token.slice(0, colon)) ?? code;
      byte = scanHex(token.slice(colon + 1)) ?? byte;
      // -1 is ModSecurity's "no mapping" value.
      if (code >= 0 && code <= 0xffff) {
        if (byte === -1) map.delete(code);
        else map.set(code, byte);
      }
    }
    if (reading && colon < 0) break;
  }
  if (!found) {
    throw new RampartError('unicode-map', `SecUnicodeMapFile: code page ${codePage} is not in the unicode map file`);
  }
  return map;
}
