/** Go's net/url query escaping, on latin1 byte strings (one char = one byte). */

const HEX = '0123456789ABCDEF';

function unreserved(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x7e;
}

/** url.QueryEscape: everything but [A-Za-z0-9-._~] is %XX, and space is `+`. */
export function queryEscape(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (unreserved(c)) out += bytes[i];
    else if (c === 0x20) out += '+';
    else out += `%${HEX[c >> 4]}${HEX[c & 15]}`;
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/** url.QueryUnescape: `+` is a space; a `%` not followed by two hex digits is an error (undefined). */
export function queryUnescape(bytes: string): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    if (c === 0x25) {
      const hi = hexValue(bytes.charCodeAt(i + 1));
      const lo = hexValue(bytes.charCodeAt(i + 2));
      if (i + 2 >= bytes.length || hi < 0 || lo < 0) return undefined;
      out += String.fromCharCode(hi * 16 + lo);
      i += 2;
    } else if (c === 0x2b) {
      out += ' ';
    } else {
      out += bytes[i];
    }
  }
  return out;
}
