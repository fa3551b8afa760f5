import * as fs from 'node:fs';
import type { Diagnostic, SourceLocation } from '../src';
import { parse, print } from '../src';
import { crsFiles, stripLocations } from './crs-helpers';

/** A small deterministic PRNG (mulberry32), so that a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIAL = ['"', "'", '\\', '\n', '|', ':', ',', '/', '!', '&', '@', '%{', '}', '#', ' ', '\\\n', ';', '='];

function mutate(text: string, random: () => number, edits: number): string {
  let s = text;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (s.length + 1));
    const r = random();
    if (r < 0.4) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + (SPECIAL[Math.floor(random() * SPECIAL.length)] as string) + s.slice(at);
  }
  return s;
}

function checkLoc(loc: SourceLocation, lines: number): void {
  expect(loc.line).toBeGreaterThanOrEqual(1);
  expect(loc.column).toBeGreaterThanOrEqual(1);
  expect(loc.endLine).toBeGreaterThanOrEqual(loc.line);
  expect(loc.endLine).toBeLessThanOrEqual(lines);
  if (loc.endLine === loc.line) expect(loc.endColumn).toBeGreaterThanOrEqual(loc.column);
}

describe('mutated CRS text', () => {
  const sources = crsFiles().map((f) => fs.readFileSync(f, 'latin1'));
  const random = rng(20261122);

  test('never throws, locates every diagnostic inside the text, and prints something that parses back', () => {
    let roundTrips = 0;
    for (let round = 0; round < 300; round++) {
      const src = sources[Math.floor(random() * sources.length)] as string;
      // A window of the file keeps each round fast while covering every construct over the rounds.
      const from = Math.floor(random() * Math.max(1, src.length - 6000));
      const edits = random() < 0.5 ? 1 : 1 + Math.floor(random() * 20);
      const text = mutate(src.slice(from, from + 6000), random, edits);
      const lines = text.split('\n').length;
      const r = parse(text);
      for (const d of r.diagnostics as Diagnostic[]) checkLoc(d.loc, lines);
      for (const d of r.ast.directives) checkLoc(d.loc, lines);
      // Whatever the parser accepted, the printer writes back as the same AST (minus what was invalid).
      const again = parse(print(r.ast));
      if (again.diagnostics.length === 0 && r.diagnostics.length === 0) {
        expect(stripLocations(again.ast.directives)).toEqual(stripLocations(r.ast.directives));
        roundTrips++;
      }
    }
    // Some mutations stay valid SecLang (an edit in a comment or a msg); those must round-trip.
    expect(roundTrips).toBeGreaterThan(10);
  });
});
