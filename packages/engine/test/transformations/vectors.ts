import { transform, type TransformationContext } from '../../src/transformations';

/** One test vector: input, expected output, and optionally why the case matters. */
export type Vector = readonly [input: string, expected: string, why?: string];

/** Latin1 string of the bytes 0..255 (or of the given codes). */
export function bytes(codes: Iterable<number>): string {
  return String.fromCharCode(...codes);
}

export const ALL_BYTES = bytes(Array.from({ length: 256 }, (_, b) => b));

/** Readable rendering for failure messages: every byte outside printable ASCII as \xHH. */
export function show(value: string): string {
  return value.replace(/[^\x20-\x7e]|\\/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

/** Runs every vector through `transform(name, ...)` and checks the output stays a latin1 string. */
export function checkVectors(name: string, vectors: readonly Vector[], ctx?: TransformationContext): void {
  describe(`t:${name}`, () => {
    it.each(vectors.map(([input, expected, why]) => ({ input, expected, title: why ?? JSON.stringify(input) })))(
      '$title',
      ({ input, expected }) => {
        const out = transform(name, input, ctx);
        expect(show(out)).toBe(show(expected));
        expect(/[^\x00-\xff]/.test(out)).toBe(false);
      },
    );
  });
}
