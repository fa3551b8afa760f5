import { builtinTransformations, loadUnicodeMap } from '../../src/transformations';
import { readFileSync } from 'node:fs';

/** Deterministic pseudo-random bytes (xorshift), biased towards the bytes decoders care about. */
function randomInputs(count: number, seed: number): string[] {
  let x = seed;
  const next = (): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const special = '%uU+&#;x\\/.*-<!>0123456789abcdefABCDEF=\0 \t\r\n\xa0\xc2\xe2\xf0\xff';
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const len = next() % 64;
    let s = '';
    for (let i = 0; i < len; i++) {
      const r = next();
      s += r % 3 === 0 ? String.fromCharCode(r % 256) : special[r % special.length];
    }
    out.push(s);
  }
  return out;
}

const unicodeMap = loadUnicodeMap(readFileSync('/work/shared/modsecurity/unicode.mapping', 'latin1'), 20127);
const inputs = randomInputs(3000, 0x9e3779b9);

describe.each(Object.values(builtinTransformations).map((d) => [d.name, d] as const))('t:%s on hostile input', (_, def) => {
  it('never throws and always returns a latin1 string of bounded length', () => {
    for (const input of inputs) {
      for (const ctx of [{}, { unicodeMap }]) {
        const out = def.transform(input, ctx);
        expect(typeof out).toBe('string');
        if (/[^\x00-\xff]/.test(out)) throw new Error(`non-latin1 output for ${JSON.stringify(input)}`);
        // The largest growth is utf8toUnicode (up to 9 bytes per input byte: "%u10ffff" and a lead byte).
        if (out.length > Math.max(40, input.length * 9)) throw new Error(`output too long for ${JSON.stringify(input)}`);
      }
    }
  });

  it('handles a 1 MiB value in linear time', () => {
    const big = inputs.join('').repeat(Math.ceil((1 << 20) / inputs.join('').length)).slice(0, 1 << 20);
    const started = process.hrtime.bigint();
    def.transform(big, {});
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    expect(ms).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });
});
