import { CHAR } from './bytes';
import { defineTransformation } from './types';

const NEEDS_WORK = /[\x00\x80-\xff]/;

/** Two lowercase hex digits per byte value. */
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** The char for code `c`; inputs are latin1, but a wider char is passed through rather than lost. */
function char(c: number): string {
  return c <= 0xff ? (CHAR[c] as string) : String.fromCharCode(c);
}

function escape(codePoint: number): string {
  if (codePoint <= 0xffff) return `%u${HEX2[codePoint >>> 8] as string}${HEX2[codePoint & 0xff] as string}`;
  return `%u${codePoint.toString(16)}`;
}

/**
 * Converts UTF-8 sequences to `%uHHHH` (lowercase hex, at least four digits; five or six for code points
 * above U+FFFF), as ModSecurity does, so that urlDecodeUni can fold them afterwards. Byte-exact quirks of
 * ModSecurity v3 kept on purpose:
 * - a lead byte whose continuation bytes are missing or invalid is dropped, and decoding resumes at the next
 *   byte (`\xC3(` gives `(`);
 * - stray continuation bytes and 0xF8-0xFF are copied as they are; a lead byte 0xF5-0xF7 is copied before
 *   its escape;
 * - overlong forms and surrogates (U+D800-U+DFFF) give the escape followed by the raw lead byte;
 * - NUL bytes are dropped, except a NUL that is the last byte (v3.0.12+, which no longer sees the C string
 *   terminator as input).
 * @example SecRule ARGS "@rx %u" "id:1,phase:2,t:none,t:utf8toUnicode,t:urlDecodeUni,deny"
 */
export const utf8toUnicode = defineTransformation({
  name: 'utf8toUnicode',
  transform(input) {
    const first = input.search(NEEDS_WORK);
    if (first < 0) return input;
    const n = input.length;
    const byteAt = (k: number): number => (k < n ? input.charCodeAt(k) : 0);
    // Outputs are built by concatenation: the pieces are few and short, where an array join cost more.
    let out = input.slice(0, first);
    let run = first;
    let i = first;
    while (i < n) {
      const c = input.charCodeAt(i);
      if (c > 0 && c < 0x80) {
        i++;
        continue;
      }
      if (run < i) out += input.slice(run, i);
      let seqLen = 0;
      let cp = 0;
      if (c === 0) {
        if (i + 1 >= n) out += '\0';
      } else if ((c & 0xe0) === 0xc0) {
        const c1 = byteAt(i + 1);
        if ((c1 & 0xc0) === 0x80) {
          seqLen = 2;
          cp = ((c & 0x1f) << 6) | (c1 & 0x3f);
          out += escape(cp);
        }
      } else if ((c & 0xf0) === 0xe0) {
        const c1 = byteAt(i + 1);
        const c2 = byteAt(i + 2);
        if ((c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80) {
          seqLen = 3;
          cp = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
          out += escape(cp);
        }
      } else if ((c & 0xf8) === 0xf0) {
        if (c >= 0xf5) out += char(c);
        const c1 = byteAt(i + 1);
        const c2 = byteAt(i + 2);
        const c3 = byteAt(i + 3);
        if ((c1 & 0xc0) === 0x80 && (c2 & 0xc0) === 0x80 && (c3 & 0xc0) === 0x80) {
          seqLen = 4;
          cp = ((c & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f);
          out += escape(cp);
        }
      } else {
        out += char(c);
      }
      if (cp >= 0xd800 && cp <= 0xdfff) out += char(c);
      if ((seqLen === 4 && cp < 0x10000) || (seqLen === 3 && cp < 0x800) || (seqLen === 2 && cp < 0x80)) {
        out += char(c);
      }
      i += seqLen > 0 ? seqLen : 1;
      run = i;
    }
    return run < n ? out + input.slice(run) : out;
  },
});
