/** Deterministic text (an LCG over a small alphabet), the same bytes the reference values were computed from. */
export function lcgText(n: number, seed: number, alphabet = 'abcdefghij <>=;\n'): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
    out += alphabet[(x >> 16) % alphabet.length];
  }
  return out;
}
