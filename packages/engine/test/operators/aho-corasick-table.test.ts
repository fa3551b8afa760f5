import * as fs from 'node:fs';
import * as path from 'node:path';
import { CompileMemo } from '../../src/compile-memo/compile-memo';
import { buildPhraseTables, PhraseMatcher } from '../../src/operators/aho-corasick';

/**
 * What acmp reports, by brute force: the earliest end position where a phrase ends (ASCII case-insensitive), the
 * longest phrase ending there, spelled as the first phrase (in order) whose folded text starts with it.
 */
function reference(phrases: readonly string[], input: string): { text: string; end: number } | undefined {
  const lower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  const folded = phrases.filter((p) => p !== '').map(lower);
  const text = lower(input);
  for (let end = 0; end < text.length; end++) {
    let best: string | undefined;
    for (const p of folded) if (p.length <= end + 1 && text.endsWith(p, end + 1) && (best === undefined || p.length > best.length)) best = p;
    if (best !== undefined) {
      const first = phrases.find((p) => p !== '' && lower(p).startsWith(best!))!;
      return { text: first.slice(0, best.length), end };
    }
  }
  return undefined;
}

function expectSame(m: PhraseMatcher, phrases: readonly string[], input: string): boolean {
  const want = reference(phrases, input);
  expect(m.search(input)).toBe(want?.text);
  expect(m.locate(input)).toEqual(want === undefined ? [] : [want.end - want.text.length + 1, want.text.length]);
  return want !== undefined;
}

describe('PhraseMatcher', () => {
  let seed = 7;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };

  /** Text built from pieces of the phrases, in random case, between random bytes (near misses and overlaps). */
  const textFrom = (phrases: readonly string[], length: number): string => {
    let s = '';
    while (s.length < length) {
      const r = rnd(10);
      if (r < 3) {
        const p = phrases[rnd(phrases.length)]!;
        const piece = p.slice(rnd(p.length), rnd(p.length + 1) + 1);
        s += rnd(2) ? piece.toUpperCase() : piece;
      } else {
        s += String.fromCharCode(rnd(10) === 0 ? 0x100 + rnd(300) : rnd(256));
      }
    }
    return s;
  };

  test('CRS data files, over text built from their own phrases: the full-table part and the sparse part', () => {
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
      // As loaded, and with a table of 2 KB only, so that most states are sparse.
      for (const m of [new PhraseMatcher(phrases), new PhraseMatcher([], buildPhraseTables(phrases, 2048))]) {
        for (let i = 0; i < 40; i++) {
          if (expectSame(m, phrases, textFrom(phrases, 60))) found++;
          checked++;
        }
      }
    }
    expect(found).toBeGreaterThan(checked / 10);
  });

  test('random small phrase sets, every table size from none to all states', () => {
    const alphabet = 'abcABC\u00e9\u00c9x';
    for (let round = 0; round < 150; round++) {
      const phrases = Array.from({ length: 1 + rnd(8) }, () => Array.from({ length: 1 + rnd(4) }, () => alphabet[rnd(alphabet.length)]).join(''));
      for (const bytes of [0, 64, 256, 1 << 20]) {
        const m = new PhraseMatcher([], buildPhraseTables(phrases, bytes));
        for (let v = 0; v < 10; v++) expectSame(m, phrases, Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join(''));
      }
    }
  });

  test('upper-case input, latin1 bytes and characters above 0xFF', () => {
    const phrases = ['abc', 'bcd', 'c', 'Étoile', 'x\u00ffy'];
    const m = new PhraseMatcher(phrases);
    for (const s of ['ABCD', 'zzBc', 'étoile', 'ÉTOILE', 'x\u00ffy', 'x\u0178y', 'a\u0100bc', '']) expectSame(m, phrases, s);
    expect(m.search('ÉTOILE')).toBe('Étoile');
    expect(m.search('éTOILE')).toBeUndefined(); // ASCII-only case folding, like C tolower
    expect(m.search('xABCx')).toBe('abc'); // at equal end positions the longest phrase
  });

  test('phrases with characters above 0xFF match them', () => {
    const m = new PhraseMatcher(['\u20acuro', 'abc']);
    expect(m.search('1 \u20acuro')).toBe('\u20acuro');
    expect(m.locate('1 \u20acuro')).toEqual([2, 4]);
    expect(m.search('1 \u20acur\u20aco')).toBeUndefined();
  });

  test('spells a phrase as the first phrase through its states wrote it', () => {
    expect(new PhraseMatcher(['SELECTION', 'select']).search('xx select')).toBe('SELECT');
    // The earliest end wins: `sel` ends before `select` does.
    expect(new PhraseMatcher(['SELECTION', 'select', 'Sel']).search('xx select')).toBe('SEL');
    expect(new PhraseMatcher(['']).search('anything')).toBeUndefined();
  });

  test('from a memo: the second matcher of the same phrases takes the first one\'s tables', () => {
    const memo = new CompileMemo({ shared: true });
    const phrases = ['alpha', 'beta', 'gamma'];
    const a = PhraseMatcher.create(phrases, memo);
    const b = PhraseMatcher.create([...phrases], memo);
    expect([memo.built, memo.reused]).toEqual([1, 1]);
    expect(b.search('xxBETAxx')).toBe('beta');
    expect(a.locate('a gamma')).toEqual(b.locate('a gamma'));
    // A list with the same bytes cut differently is another list.
    PhraseMatcher.create(['alphabeta', 'gamma'], memo);
    expect(memo.built).toBe(2);
  });
});
