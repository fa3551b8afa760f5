import { latin1Slice } from '../src/latin1';

describe('latin1Slice', () => {
  it('matches Buffer#toString("latin1") on both sides of the native threshold', () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (const len of [0, 1, 2, 47, 48, 49, 100, 256]) {
      for (const start of [0, 3, 200]) {
        const end = Math.min(bytes.length, start + len);
        expect(latin1Slice(bytes, start, end)).toBe(bytes.toString('latin1', start, end));
      }
    }
  });
});
