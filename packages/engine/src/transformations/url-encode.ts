import { defineTransformation } from './types';

const NEEDS_ENCODING = /[^A-Za-z0-9*]/;
const HEX = '0123456789abcdef';

/** Per byte: the text urlEncode emits for it. */
const ENCODED: readonly string[] = (() => {
  const table: string[] = [];
  for (let c = 0; c < 256; c++) {
    const keep = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2a;
    if (keep) table.push(String.fromCharCode(c));
    else if (c === 0x20) table.push('+');
    else table.push(`%${HEX[c >> 4] ?? '0'}${HEX[c & 15] ?? '0'}`);
  }
  return table;
})();

/**
 * URL-encodes like ModSecurity: ASCII letters, digits and `*` stay, a space becomes `+`, every other byte
 * becomes `%hh` with lowercase hex (so `-`, `.`, `_` and `~` are encoded too).
 * @example SecRule ARGS "@contains %3cscript" "id:1,phase:2,t:none,t:urlEncode,deny"
 */
export const urlEncode = defineTransformation({
  name: 'urlEncode',
  transform(input) {
    const first = input.search(NEEDS_ENCODING);
    if (first < 0) return input;
    const parts: string[] = [input.slice(0, first)];
    for (let i = first; i < input.length; i++) parts.push(ENCODED[input.charCodeAt(i) & 0xff] ?? '');
    return parts.join('');
  },
});
