import { lintText } from '../src';

/** A deterministic generator, so that a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pieces = ['SecRule', 'SecAction', 'SecMarker', 'SecDefaultAction', 'ARGS', 'TX:/', '"@rx (', '"', "'", '\\\n', 'chain', ',', ':', '|', '&', '!', 'id:1', 'phase:9', 'skipAfter:', '@pmFromFile ', 'ctl:', '=', '%{', '}', '\n', ' ', '\xff', '\0'];

describe('hostile input', () => {
  it('never throws on random fragments of SecLang', () => {
    const next = rng(42);
    for (let i = 0; i < 300; i++) {
      let text = '';
      const n = Math.floor(next() * 60);
      for (let j = 0; j < n; j++) text += pieces[Math.floor(next() * pieces.length)];
      expect(() => lintText(text, { file: '/fuzz.conf', fileExists: () => false })).not.toThrow();
    }
  });

  // No timing is asserted (the machine may be loaded); a quadratic walk would show as a timeout here.
  it('handles long chains and many rules', () => {
    const chain = 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n' + 'SecRule ARGS "@rx b" "chain"\n'.repeat(200) + 'SecRule ARGS "@rx c" "t:none"\n';
    // Longer than the parser accepts: its diagnostics come through, nothing throws.
    const tooLong = 'SecRule ARGS "@rx a" "id:1,phase:2,deny,chain"\n' + 'SecRule ARGS "@rx b" "chain"\n'.repeat(5000) + 'SecRule ARGS "@rx c" "t:none"\n';
    const many = Array.from({ length: 5000 }, (_, i) => `SecRule ARGS "@rx a${i}" "id:${i + 1},phase:2,pass,skipAfter:END"\nSecMarker X${i}\n`).join('') + 'SecMarker END\n';
    const a = lintText(chain);
    const b = lintText(many);
    const c = lintText(tooLong);
    expect(c.diagnostics.some((d) => d.check === 'syntax' && /chain/.test(d.message))).toBe(true);
    expect(a.stats.chainedRules).toBe(201);
    expect(a.diagnostics).toEqual([]);
    expect(b.stats.rulesWithId).toBe(5000);
    expect(b.diagnostics).toEqual([]);
  }, 120_000);
});
