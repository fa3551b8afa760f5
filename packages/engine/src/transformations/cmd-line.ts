import { defineTransformation } from './types';

const SPECIAL = /[A-Z"'\\^ ,;\t\r\n]/;

/**
 * Normalises a command line as ModSecurity does, to defeat shell/cmd.exe obfuscation:
 * - deletes `\`, `"`, `'` and `^`;
 * - turns each run of space, `,`, `;`, tab, CR and LF into one space (deleted characters do not end a run);
 * - deletes a space that comes right before `/` or `(`;
 * - lowercases ASCII letters.
 * @example SecRule ARGS "@rx cmd/c" "id:1,phase:2,t:none,t:cmdLine,deny"
 */
export const cmdLine = defineTransformation({
  name: 'cmdLine',
  transform(input) {
    // '/' and '(' only change something after a space, which needs one of SPECIAL first.
    if (!SPECIAL.test(input)) return input;
    const out = Buffer.allocUnsafe(input.length);
    let d = 0;
    let space = false;
    for (let i = 0; i < input.length; i++) {
      const c = input.charCodeAt(i);
      switch (c) {
        case 0x22: case 0x27: case 0x5c: case 0x5e:
          break;
        case 0x20: case 0x2c: case 0x3b: case 0x09: case 0x0d: case 0x0a:
          if (!space) {
            out[d++] = 0x20;
            space = true;
          }
          break;
        case 0x2f: case 0x28:
          if (space) d--;
          space = false;
          out[d++] = c;
          break;
        default:
          out[d++] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
          space = false;
      }
    }
    return out.toString('latin1', 0, d);
  },
});
