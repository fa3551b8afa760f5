/**
 * A compiled structure as plain data: typed arrays, numbers and lists of latin1 strings. What a costly part of
 * compilation builds (an Aho-Corasick automaton, the regex prefilter) is kept in this form by a CompileMemo, so
 * that another load of the same input — on another thread, or in a later process through a memo file — takes it
 * instead of building it again, and threads share its arrays instead of holding copies.
 */
export type FrozenArray = Int32Array | Uint16Array | Uint8Array;

export interface Frozen {
  readonly arrays: Readonly<Record<string, FrozenArray>>;
  readonly numbers: Readonly<Record<string, number>>;
}

/** The constructors a frozen array may have (memo files name them). */
export const ARRAY_TYPES = { Int32Array, Uint16Array, Uint8Array } as const;
export type FrozenArrayType = keyof typeof ARRAY_TYPES;

export function arrayType(a: FrozenArray): FrozenArrayType {
  if (a instanceof Int32Array) return 'Int32Array';
  if (a instanceof Uint16Array) return 'Uint16Array';
  return 'Uint8Array';
}

/**
 * Latin1 strings as two arrays (their bytes, and where each ends), so that they travel and store as the other
 * arrays do.
 */
export function freezeStrings(strings: readonly string[]): { bytes: Uint8Array; ends: Int32Array } {
  let total = 0;
  for (const s of strings) total += s.length;
  const bytes = new Uint8Array(total);
  const ends = new Int32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => {
    for (let k = 0; k < s.length; k++) bytes[at + k] = s.charCodeAt(k);
    at += s.length;
    ends[i] = at;
  });
  return { bytes, ends };
}

/** The string `i` of strings frozen by freezeStrings. */
export function thawString(bytes: Uint8Array, ends: Int32Array, i: number): string {
  const start = i === 0 ? 0 : ends[i - 1]!;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, ends[i]! - start).toString('latin1');
}

export function thawStrings(bytes: Uint8Array, ends: Int32Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < ends.length; i++) out.push(thawString(bytes, ends, i));
  return out;
}
