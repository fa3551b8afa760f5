import { LiteralScanner } from '../../src/prefilter/literal-scanner';
import { foldLatin1 } from '../../src/prefilter/requirements';
import { seededRandom } from './corpus';

/** The atoms found in `value` (sorted, each once), or null when the scanner gave up. */
function found(scanner: LiteralScanner, value: string): string[] | null {
  const hits: number[] = [];
  const complete = scanner.collect(value, new Int32Array(scanner.atoms.length), 1, hits);
  if (!complete) return null;
  expect(new Set(hits).size).toBe(hits.length);
  return hits.map((i) => scanner.atoms[i]!).sort();
}

function fold(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(foldLatin1(s.charCodeAt(i)));
  return out;
}

/** What a scanner must report: every atom contained in the folded value. */
function naive(atoms: readonly string[], value: string): string[] {
  const v = fold(value);
  return [...new Set(atoms.filter((a) => v.includes(a)))].sort();
}

describe('LiteralScanner', () => {
  test('finds overlapping atoms', () => {
    const s = new LiteralScanner(['abc', 'bcd', 'cde']);
    expect(found(s, 'xabcdex')).toEqual(['abc', 'bcd', 'cde']);
    expect(found(s, 'abxcd')).toEqual([]);
  });

  test('finds atoms that are suffixes or infixes of others', () => {
    const s = new LiteralScanner(['select', 'lect', 't', 'elec']);
    expect(found(s, 'select')).toEqual(['elec', 'lect', 'select', 't']);
    expect(found(s, 'lec')).toEqual([]);
    expect(found(s, 'xxlectxx')).toEqual(['lect', 't']);
  });

  test('finds an atom after a failed longer one (failure links)', () => {
    const s = new LiteralScanner(['aab', 'ab']);
    expect(found(s, 'aaab')).toEqual(['aab', 'ab']);
    expect(found(s, 'aab')).toEqual(['aab', 'ab']);
    expect(found(s, 'abab')).toEqual(['ab']);
  });

  test('reports each atom once, by index even when its text repeats, and skips atoms already marked', () => {
    const s = new LiteralScanner(['ab', 'ab', 'b']);
    const seen = new Int32Array(3);
    const hits: number[] = [];
    expect(s.collect('abab', seen, 7, hits)).toBe(true);
    expect(hits.sort()).toEqual([0, 1, 2]);
    expect([...seen]).toEqual([7, 7, 7]);
    const again: number[] = [];
    seen[2] = 8;
    expect(s.collect('abab', seen, 8, again)).toBe(true);
    expect(again.sort()).toEqual([0, 1]);
  });

  test('matches case-insensitively, latin1 capitals included', () => {
    const s = new LiteralScanner(['select', '\u00e0 la', '\u00e9t\u00e9']);
    expect(found(s, 'SeLeCt')).toEqual(['select']);
    expect(found(s, '\u00c0 LA carte')).toEqual(['\u00e0 la']);
    expect(found(s, '\u00c9T\u00c9')).toEqual(['\u00e9t\u00e9']);
    // × (0xD7) and ÷ (0xF7) are not a case pair.
    expect(found(new LiteralScanner(['\u00f7']), '\u00d7')).toEqual([]);
  });

  test('gives up on characters above 0xFF, which (?i) can fold onto latin1 letters', () => {
    const s = new LiteralScanner(['kelvin', 'ss']);
    expect(found(s, '\u212aelvin')).toBeNull();
    expect(found(s, 'kelvin \u017f')).toBeNull();
    expect(found(s, '\u0100')).toBeNull();
    expect(found(s, '\ud83d\ude00')).toBeNull();
  });

  test('handles empty input and an empty atom list', () => {
    expect(found(new LiteralScanner(['a']), '')).toEqual([]);
    expect(found(new LiteralScanner([]), 'anything')).toEqual([]);
  });

  test('refuses atoms beyond latin1', () => {
    expect(() => new LiteralScanner(['\u0100'])).toThrow();
  });

  test('agrees with a naive search on random atoms and values', () => {
    const rnd = seededRandom(42);
    // A small alphabet with case pairs makes overlaps and partial matches frequent.
    const alphabet = 'abAB\u00e0\u00c0;<\u00ff\u00d7';
    const randomString = (max: number): string => {
      let out = '';
      const n = 1 + Math.floor(rnd() * max);
      for (let i = 0; i < n; i++) out += alphabet[Math.floor(rnd() * alphabet.length)]!;
      return out;
    };
    for (let round = 0; round < 200; round++) {
      const atoms = [...new Set(Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => fold(randomString(5))))];
      const scanner = new LiteralScanner(atoms);
      for (let v = 0; v < 20; v++) {
        const value = randomString(30);
        expect(found(scanner, value)).toEqual(naive(atoms, value));
      }
    }
  });
});
