import { transform } from '../../src/transformations';
import { normalizePathBytes } from '../../src/transformations/normalize-path-core';

/** Every string over `alphabet` of length 0..maxLength. */
function allStrings(alphabet: string, maxLength: number): string[] {
  const out = [''];
  let level = [''];
  for (let len = 1; len <= maxLength; len++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    out.push(...next);
    level = next;
  }
  return out;
}

describe('normalizePath and normalizePathWin skip the core only when it would change nothing', () => {
  // Every arrangement of separators, dots and a letter up to 7 bytes: all the cases the no-change test reasons
  // about (doubled slashes, `.` and `..` segments, `x..`, leading and trailing separators).
  const inputs = allStrings('/.a\\', 7);

  it('normalizePath equals the core on every short path', () => {
    for (const s of inputs) expect([s, transform('normalizePath', s)]).toEqual([s, normalizePathBytes(s, false)]);
  });

  it('normalizePathWin equals the core on every short path', () => {
    for (const s of inputs) expect([s, transform('normalizePathWin', s)]).toEqual([s, normalizePathBytes(s, true)]);
  });
});

describe('normalizePathBytes working buffer', () => {
  it('a long path (own buffer) then a short one (shared buffer) leave nothing behind', () => {
    const long = `/${'abc/'.repeat(1500)}../x`;
    expect(normalizePathBytes(long, false)).toBe(`/${'abc/'.repeat(1499)}x`);
    expect(normalizePathBytes('/a/./b', false)).toBe('/a/b');
    expect(normalizePathBytes('a/..', false)).toBe('');
    expect(normalizePathBytes('\xe9/./\xff', false)).toBe('\xe9/\xff');
  });

  it('a short path does not read bytes of the previous, longer one', () => {
    expect(normalizePathBytes('/aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbb', false)).toBe('/aaaaaaaaaaaaaaaaaaaa/bbbbbbbbbbbbb');
    expect(normalizePathBytes('/a/..', false)).toBe('');
    expect(normalizePathBytes('x/.', false)).toBe('x');
  });

  it.each([47, 48, 49, 50, 200])('paths of %i bytes around the native-copy threshold', (len) => {
    const tail = '/./b/../c';
    const head = `/${'d'.repeat(len - tail.length - 1)}`;
    expect(normalizePathBytes(head + tail, false)).toBe(`${head}/c`);
    expect(normalizePathBytes((head + tail).replace(/\//g, '\\'), true)).toBe(`${head}/c`);
  });
});
