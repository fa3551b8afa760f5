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

/**
 * The type of a frozen array, by its tag rather than instanceof: arrays posted by another thread, or made in
 * another realm (a vm context, a test runner's), have other constructors, and instanceof took an Int32Array
 * for a Uint8Array there (a memo file written from a worker's arrays came out wrong).
 */
export function arrayType(a: FrozenArray): FrozenArrayType {
  const tag = a[Symbol.toStringTag];
  if (tag === 'Int32Array' || tag === 'Uint16Array' || tag === 'Uint8Array') return tag;
  throw new TypeError(`a compile memo keeps Int32Array, Uint16Array and Uint8Array only, not ${String(tag)}`);
}

/**
 * Strings as two arrays (their characters, and where each ends), so that they travel and store as the other
 * arrays do: one byte per character when every character is latin1 (request data always is), else two.
 */
export function freezeStrings(strings: readonly string[]): { chars: Uint8Array | Uint16Array; ends: Int32Array } {
  let total = 0;
  let wide = false;
  for (const s of strings) {
    total += s.length;
    for (let k = 0; k < s.length && !wide; k++) wide = s.charCodeAt(k) > 0xff;
  }
  const chars = wide ? new Uint16Array(total) : new Uint8Array(total);
  const ends = new Int32Array(strings.length);
  let at = 0;
  strings.forEach((s, i) => {
    for (let k = 0; k < s.length; k++) chars[at + k] = s.charCodeAt(k);
    at += s.length;
    ends[i] = at;
  });
  return { chars, ends };
}

/** The string `i` of strings frozen by freezeStrings. */
export function thawString(chars: Uint8Array | Uint16Array, ends: Int32Array, i: number): string {
  const start = i === 0 ? 0 : ends[i - 1]!;
  if (chars instanceof Uint8Array) return Buffer.from(chars.buffer, chars.byteOffset + start, ends[i]! - start).toString('latin1');
  let out = '';
  for (let k = start; k < ends[i]!; k++) out += String.fromCharCode(chars[k]!);
  return out;
}

export function thawStrings(chars: Uint8Array | Uint16Array, ends: Int32Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < ends.length; i++) out.push(thawString(chars, ends, i));
  return out;
}
