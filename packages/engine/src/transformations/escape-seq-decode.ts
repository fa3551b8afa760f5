import { ByteSink, isHex, isOctal, x2c } from './bytes';
import { defineTransformation } from './types';

const BACKSLASH = 0x5c;

/** The ANSI C single-character escapes; -1 for anything else. */
function simpleEscape(c: number): number {
  switch (c) {
    case 0x61: return 0x07;
    case 0x62: return 0x08;
    case 0x66: return 0x0c;
    case 0x6e: return 0x0a;
    case 0x72: return 0x0d;
    case 0x74: return 0x09;
    case 0x76: return 0x0b;
    case 0x5c: return 0x5c;
    case 0x3f: return 0x3f;
    case 0x27: return 0x27;
    case 0x22: return 0x22;
    default: return -1;
  }
}

/**
 * Decodes ANSI C escape sequences as ModSecurity does: `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH` or `\XHH`
 * (exactly two hex digits), and `\O`..`\OOO` octal (up to three digits, the value taken modulo 256:
 * `\666` gives 0xB6). For an unknown or invalid escape the backslash is dropped and the next byte kept
 * (`\z` gives `z`, `\xZZ` gives `xZZ`); a backslash at the very end is kept.
 * @example SecRule ARGS "@rx \x27" "id:1,phase:2,t:none,t:escapeSeqDecode,deny"
 */
export const escapeSeqDecode = defineTransformation({
  name: 'escapeSeqDecode',
  transform(input) {
    let i = input.indexOf('\\');
    if (i < 0) return input;
    const n = input.length;
    const out = new ByteSink(n);
    let run = 0;
    while (i < n) {
      if (input.charCodeAt(i) !== BACKSLASH || i + 1 >= n) {
        i++;
        continue;
      }
      out.copyRun(input, run, i);
      const c1 = input.charCodeAt(i + 1);
      const simple = simpleEscape(c1);
      if (simple >= 0) {
        out.push(simple);
        i += 2;
      } else if ((c1 === 0x78 || c1 === 0x58) && i + 3 < n && isHex(input.charCodeAt(i + 2)) && isHex(input.charCodeAt(i + 3))) {
        out.push(x2c(input.charCodeAt(i + 2), input.charCodeAt(i + 3)));
        i += 4;
      } else if (isOctal(c1)) {
        let digits = 1;
        while (digits < 3 && i + 1 + digits < n && isOctal(input.charCodeAt(i + 1 + digits))) digits++;
        out.push(parseInt(input.slice(i + 1, i + 1 + digits), 8) & 0xff);
        i += 1 + digits;
      } else {
        out.push(c1);
        i += 2;
      }
      run = i;
    }
    out.copyRun(input, run, n);
    return out.toString();
  },
});
