import { ByteSink, digitValue, isHex, isSpace, x2c } from './bytes';
import { defineTransformation } from './types';

const BACKSLASH = 0x5c;

function isF(c: number): boolean {
  return c === 0x66 || c === 0x46;
}

/**
 * Decodes CSS 2 escapes as ModSecurity does. `\` followed by 1-6 hex digits gives ONE byte from the last two
 * digits (one digit: its value); a single whitespace after the escape is swallowed. Full-width ASCII is
 * folded (`\ff01` gives `!`) when the escape has 4 digits, or 5-6 digits with leading zeros (`\0ff01`,
 * `\00ff01`). `\` + newline is removed (line continuation), `\` + any other byte gives that byte, and a `\`
 * at the very end is removed.
 * @example SecRule ARGS "@rx expression\(" "id:1,phase:2,t:none,t:cssDecode,deny"
 */
export const cssDecode = defineTransformation({
  name: 'cssDecode',
  transform(input) {
    let i = input.indexOf('\\');
    if (i < 0) return input;
    const n = input.length;
    const out = new ByteSink(n);
    let run = 0;
    while (i < n) {
      if (input.charCodeAt(i) !== BACKSLASH) {
        i++;
        continue;
      }
      out.copyRun(input, run, i);
      i++;
      if (i >= n) {
        run = i;
        break;
      }
      let digits = 0;
      while (digits < 6 && i + digits < n && isHex(input.charCodeAt(i + digits))) digits++;
      if (digits > 0) {
        let byte: number;
        let foldFullWidth: boolean;
        if (digits === 1) {
          byte = digitValue(input.charCodeAt(i)) & 0xff;
          foldFullWidth = false;
        } else {
          byte = x2c(input.charCodeAt(i + digits - 2), input.charCodeAt(i + digits - 1));
          foldFullWidth =
            digits === 4 ||
            (digits === 5 && input.charCodeAt(i) === 0x30) ||
            (digits === 6 && input.charCodeAt(i) === 0x30 && input.charCodeAt(i + 1) === 0x30);
        }
        if (
          foldFullWidth && byte > 0x00 && byte < 0x5f &&
          isF(input.charCodeAt(i + digits - 3)) && isF(input.charCodeAt(i + digits - 4))
        ) {
          byte += 0x20;
        }
        out.push(byte);
        if (i + digits < n && isSpace(input.charCodeAt(i + digits))) digits++;
        i += digits;
      } else if (input.charCodeAt(i) === 0x0a) {
        i++;
      } else {
        out.push(input.charCodeAt(i));
        i++;
      }
      run = i;
    }
    out.copyRun(input, run, n);
    return out.toString();
  },
});
