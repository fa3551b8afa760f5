import { defineTransformation } from './types';

/** Sextet value of each byte; -1 for bytes the forgiving decoder skips. `-` and `_` are base64url. */
const SEXTET: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let v = 0; v < 64; v++) table[alphabet.charCodeAt(v)] = v;
  table[0x2d] = 62;
  table[0x5f] = 63;
  return table;
})();

const EQUALS = 0x3d;

/**
 * Forgiving Base64 decoding (ModSecurity v3's `decode_forgiven`): every byte outside the alphabet is skipped
 * and decoding goes on, base64url `-` and `_` count as `+` and `/`, and padding is optional. One case empties
 * the result, as in ModSecurity: a single `=` (not followed by another `=`) right after the first sextet of
 * a quantum, e.g. `dzBzV==YWxl` (the second `=` is single).
 *
 * Behaviour choice: ModSecurity's engine also compares the last *decoded sextet* against `'='` when the input
 * ends, so a value ending in the digit `9` (sextet 61, the code of `=`) after the first sextet of a quantum is
 * emptied as well; that is a bug (it lets `...9` hide a payload) and is not reproduced.
 * @example SecRule ARGS:token "@rx <script" "id:1,phase:2,t:none,t:base64DecodeExt,deny"
 */
export const base64DecodeExt = defineTransformation({
  name: 'base64DecodeExt',
  transform(input) {
    const n = input.length;
    if (n === 0) return '';
    const out = Buffer.allocUnsafe(((n * 3) >> 2) + 3);
    let sextets = 0;
    let j = 0;
    let pending = 0;
    for (let pos = 0; pos < n; pos++) {
      const c = input.charCodeAt(pos);
      if (c === EQUALS) {
        const next = pos + 1 < n ? input.charCodeAt(pos + 1) : 0;
        if (next !== EQUALS && sextets % 4 === 1) return '';
        continue;
      }
      const v = SEXTET[c & 0xff] ?? -1;
      if (v < 0) continue;
      switch (sextets % 4) {
        case 0:
          pending = v << 2;
          break;
        case 1:
          out[j++] = (pending | (v >> 4)) & 0xff;
          pending = (v & 0x0f) << 4;
          break;
        case 2:
          out[j++] = (pending | (v >> 2)) & 0xff;
          pending = (v & 0x03) << 6;
          break;
        default:
          out[j++] = (pending | v) & 0xff;
          break;
      }
      sextets++;
    }
    return out.toString('latin1', 0, j);
  },
});
