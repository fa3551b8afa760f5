import { transform, type TransformationContext } from '../../src/transformations';

/** One test vector: input, expected output, and optionally why the case matters. */
export type Vector = readonly [input: string, expected: string, why?: string];

/** Latin1 string of the bytes 0..255 (or of the given codes). */
export function bytes(codes: Iterable<number>): string {
  return String.fromCharCode(...codes);
}

export const ALL_BYTES = bytes(Array.from({ length: 256 }, (_, b) => b));

/** Runs every vector through `transform(name, ...)` and checks the output stays a latin1 string. */
export function checkVectors(name: string, vectors: readonly Vector[], ctx?: TransformationContext): void {
  describe(`t:${name}`, () => {
    it.each(vectors.map(([input, expected, why]) => ({ input, expected, title: why ?? JSON.stringify(input) })))(
      '$title',
      ({ input, expected }) => {
        const out = transform(name, input, ctx);
        expect(JSON.stringify(out)).toBe(JSON.stringify(expected));
        expect(/[^\x00-\xff]/.test(out)).toBe(false);
      },
    );
  });
}
