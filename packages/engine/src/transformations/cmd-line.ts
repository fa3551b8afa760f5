import { outputBuffer } from './bytes';
import { defineTransformation } from './types';

const SPECIAL = /[A-Z"'\\^ ,;\t\r\n]/;

const KEEP = 0;
const UPPER = 1;
const DELETE = 2;
const SEPARATOR = 3;
const AFTER_SPACE = 4;

/** What cmdLine does with each byte: one table read per byte instead of a switch. */
const ACTION: Uint8Array = (() => {
  const table = new Uint8Array(256);
  for (let c = 0x41; c <= 0x5a; c++) table[c] = UPPER;
  for (const c of '"\'\\^') table[c.charCodeAt(0)] = DELETE;
  for (const c of ' ,;\t\r\n') table[c.charCodeAt(0)] = SEPARATOR;
  table[0x2f] = AFTER_SPACE;
  table[0x28] = AFTER_SPACE;
  return table;
})();

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
    const n = input.length;
    const out = outputBuffer(n);
    let d = 0;
    let space = false;
    for (let i = 0; i < n; i++) {
      const c = input.charCodeAt(i);
      const action = c > 0xff ? KEEP : (ACTION[c] as number);
      if (action === KEEP) {
        out[d++] = c;
        space = false;
      } else if (action === UPPER) {
        out[d++] = c | 0x20;
        space = false;
      } else if (action === SEPARATOR) {
        if (!space) {
          out[d++] = 0x20;
          space = true;
        }
      } else if (action === AFTER_SPACE) {
        if (space) d--;
        space = false;
        out[d++] = c;
      }
    }
    return out.toString('latin1', 0, d);
  },
});
