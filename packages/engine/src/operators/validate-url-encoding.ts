import { defineOperator, NO_SPANS, withLocator } from './types';

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/** Position of the first `%` not followed by two hexadecimal digits, or -1. */
function invalidEncodingAt(input: string): number {
  let i = 0;
  while (i < input.length) {
    if (input.charCodeAt(i) !== 0x25) {
      i++;
      continue;
    }
    if (i + 2 >= input.length) return i;
    if (!isHex(input.charCodeAt(i + 1)) || !isHex(input.charCodeAt(i + 2))) return i;
    i += 3;
  }
  return -1;
}

/**
 * Matches when the input holds an invalid URL encoding: a `%` not followed by two hexadecimal digits, or a
 * `%` too close to the end. An empty input never matches (ModSecurity v3).
 * @example SecRule REQUEST_URI "@validateUrlEncoding" "id:920220,phase:1,block"
 */
export const validateUrlEncoding = defineOperator({
  name: 'validateUrlEncoding',
  compile() {
    return withLocator(
      (input) => invalidEncodingAt(input) >= 0,
      (input) => {
        // ModSecurity v3 logs the position of the bad `%` with the input's length.
        const at = invalidEncodingAt(input);
        return at < 0 ? NO_SPANS : [at, input.length];
      },
    );
  },
});
