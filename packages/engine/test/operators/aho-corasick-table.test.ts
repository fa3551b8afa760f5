import * as fs from 'node:fs';
import * as path from 'node:path';
import { PhraseMatcher } from '../../src/operators/aho-corasick';

/** The transition table must answer exactly as the failure-link walk it is compiled from. */
describe('PhraseMatcher transition table', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };

  function both(phrases: string[]): { table: PhraseMatcher; walk: PhraseMatcher } {
    const walk = new PhraseMatcher(phrases);
    (walk as unknown as { table: undefined }).table = undefined;
    return { table: new PhraseMatcher(phrases), walk };
  }

  test('CRS data files over text built from their own phrases', () => {
    const dir = path.resolve(__dirname, '../../../../../shared/crs4/rules');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.data'));
    expect(files.length).toBeGreaterThan(5);
    let checked = 0;
    let found = 0;
    for (const f of files) {
      const phrases = fs
        .readFileSync(path.join(dir, f), 'latin1')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'));
      const { table, walk } = both(phrases);
      for (let i = 0; i < 300; i++) {
        let s = '';
        while (s.length < 60) {
          const r = rnd(10);
          if (r < 3) {
            const p = phrases[rnd(phrases.length)]!;
            // Pieces of phrases, in random case, make near-misses and overlaps.
            const piece = p.slice(rnd(p.length), rnd(p.length + 1) + 1);
            s += rnd(2) ? piece.toUpperCase() : piece;
          } else {
            s += String.fromCharCode(rnd(10) === 0 ? 0x100 + rnd(300) : rnd(256));
          }
        }
        const a = table.search(s);
        expect(a).toBe(walk.search(s));
        if (a !== undefined) found++;
        checked++;
      }
    }
    expect(found).toBeGreaterThan(checked / 10);
  });

  test('upper-case input, latin1 bytes and characters above 0xFF', () => {
    const { table, walk } = both(['abc', 'bcd', 'c', 'Étoile', 'x\u00ffy']);
    for (const s of ['ABCD', 'zzBc', 'étoile', 'ÉTOILE', 'x\u00ffy', 'x\u0178y', 'a\u0100bc', '']) {
      expect(table.search(s)).toBe(walk.search(s));
    }
    expect(table.search('ÉTOILE')).toBe('Étoile');
    expect(table.search('éTOILE')).toBeUndefined(); // ASCII-only case folding, like C tolower
    expect(table.search('xABCx')).toBe('abc'); // at equal end positions the longest phrase
  });

  test('phrases with characters above 0xFF keep the failure-link walk', () => {
    const m = new PhraseMatcher(['\u20acuro', 'abc']);
    expect((m as unknown as { table: unknown }).table).toBeUndefined();
    expect(m.search('1 \u20acuro')).toBe('\u20acuro');
  });
});
