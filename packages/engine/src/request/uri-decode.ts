const HEX = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 70 ? c - 55 : c >= 97 && c <= 102 ? c - 87 : -1);

/**
 * ModSecurity v3's `utils::uri_decode`, used for REQUEST_FILENAME and REQUEST_BASENAME: `%XX` with two hex
 * digits becomes the byte; anything else, including `+` and a malformed `%`, is kept as it is.
 */
export function urlDecodeForUri(s: string): string {
  let i = s.indexOf('%');
  if (i === -1) return s;
  let out = s.slice(0, i);
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const h = HEX(s.charCodeAt(i + 1));
      const l = HEX(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out += String.fromCharCode(h * 16 + l);
        i += 3;
        continue;
      }
    }
    out += s[i];
    i++;
  }
  return out;
}
