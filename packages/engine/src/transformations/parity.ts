/**
 * Shared by the parity transformations. ModSecurity computes the parity over all 8 bits of the byte
 * (`x ^= x >> 4; x &= 0xf; (0x6996 >> x) & 1`), not over the low 7, and then sets or clears bit 7; for input
 * bytes above 0x7f this differs from a "7-bit" reading and is reproduced on purpose.
 */
export function hasOddParity(byte: number): boolean {
  return ((0x6996 >> ((byte ^ (byte >> 4)) & 0x0f)) & 1) === 1;
}

/** Maps every byte through `table`. */
export function mapBytes(input: string, table: Uint8Array): string {
  const out = Buffer.allocUnsafe(input.length);
  for (let i = 0; i < input.length; i++) out[i] = table[input.charCodeAt(i) & 0xff] ?? 0;
  return out.toString('latin1');
}
