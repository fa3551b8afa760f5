import { foldLatin1 } from './requirements';

/** A LiteralScanner's automaton: what it builds from its atoms, and what a CompileMemo keeps of it. */
export interface ScannerTables {
  readonly classOf: Uint16Array;
  /** Transitions, state * classCount + class -> state: 16-bit when the states allow, halving cache misses. */
  readonly next: Uint16Array | Int32Array;
  /** Atoms ending at each state (its own and those of its suffixes): outAtoms[outStart[s] .. outStart[s+1]). */
  readonly outStart: Int32Array;
  readonly outAtoms: Int32Array;
}

/**
 * Finds which of many literal strings occur in a value, in one pass: an Aho-Corasick automaton compiled to a
 * full transition table (characters grouped into classes, so the table stays small). Matching is
 * case-folded (foldLatin1) over latin1 text; the strings are given folded.
 */
export class LiteralScanner {
  private readonly classOf: Uint16Array;
  private readonly classCount: number;
  private readonly next: Uint16Array | Int32Array;
  private readonly outStart: Int32Array;
  private readonly outAtoms: Int32Array;

  /** The automaton of `atoms`: `tables` when built before (from the same atoms), else built now. */
  constructor(
    readonly atoms: readonly string[],
    tables: ScannerTables = buildScannerTables(atoms),
  ) {
    this.classOf = tables.classOf;
    this.next = tables.next;
    this.outStart = tables.outStart;
    this.outAtoms = tables.outAtoms;
    this.classCount = tables.next.length / (tables.outStart.length - 1);
  }

  get tables(): ScannerTables {
    return { classOf: this.classOf, next: this.next, outStart: this.outStart, outAtoms: this.outAtoms };
  }

  /**
   * Appends each atom the value contains to `out` once, marking it in `seen` with `stamp` (atoms already marked
   * with it are skipped). Returns false, without scanning further, when the value has a character above 0xFF:
   * case folding beyond latin1 (the Kelvin sign matches `k` under `(?i)`) is outside what the scanner knows,
   * so the caller must not rely on it.
   */
  collect(value: string, seen: Int32Array, stamp: number, out: number[]): boolean {
    const classOf = this.classOf;
    const next = this.next;
    const classes = this.classCount;
    const outStart = this.outStart;
    const outAtoms = this.outAtoms;
    let state = 0;
    for (let i = 0; i < value.length; i++) {
      const c = value.charCodeAt(i);
      if (c > 0xff) return false;
      state = next[state * classes + classOf[c]!]!;
      const to = outStart[state + 1]!;
      for (let o = outStart[state]!; o < to; o++) {
        const atom = outAtoms[o]!;
        if (seen[atom] === stamp) continue;
        seen[atom] = stamp;
        out.push(atom);
      }
    }
    return true;
  }
}

function buildScannerTables(atoms: readonly string[]): ScannerTables {
  // Character classes: one per distinct character used by an atom, plus 0 for every other character.
  const classOfFolded = new Uint16Array(256);
  let classes = 1;
  for (const atom of atoms) {
    for (let i = 0; i < atom.length; i++) {
      const c = atom.charCodeAt(i);
      if (c > 0xff) throw new Error('LiteralScanner: atoms must be latin1');
      if (classOfFolded[c] === 0) classOfFolded[c] = classes++;
    }
  }
  const classOf = new Uint16Array(256);
  for (let c = 0; c < 256; c++) classOf[c] = classOfFolded[foldLatin1(c)]!;

  // The trie.
  const children: Array<Map<number, number>> = [new Map()];
  const own: number[][] = [[]];
  atoms.forEach((atom, id) => {
    let state = 0;
    for (let i = 0; i < atom.length; i++) {
      const k = classOfFolded[atom.charCodeAt(i)]!;
      let s = children[state]!.get(k);
      if (s === undefined) {
        s = children.length;
        children.push(new Map());
        own.push([]);
        children[state]!.set(k, s);
      }
      state = s;
    }
    own[state]!.push(id);
  });

  // Breadth-first: failure links and the full transition table.
  const n = children.length;
  const next = new Int32Array(n * classes);
  const fail = new Int32Array(n);
  const outputs: number[][] = own.map((o) => o.slice());
  // A state's row is its failure state's row (already complete: it is shallower) with its own edges on top.
  const queue: number[] = [0];
  for (let qi = 0; qi < queue.length; qi++) {
    const s = queue[qi]!;
    const row = s * classes;
    if (s !== 0) {
      const failRow = fail[s]! * classes;
      next.copyWithin(row, failRow, failRow + classes);
      outputs[s]!.push(...outputs[fail[s]!]!);
    }
    for (const [k, child] of children[s]!) {
      fail[child] = s === 0 ? 0 : next[fail[s]! * classes + k]!;
      next[row + k] = child;
      queue.push(child);
    }
  }
  const compact = n <= 0x10000 ? Uint16Array.from(next) : next;
  const outStart = new Int32Array(n + 1);
  let total = 0;
  for (let s = 0; s < n; s++) {
    outStart[s] = total;
    total += outputs[s]!.length;
  }
  outStart[n] = total;
  const outAtoms = new Int32Array(total);
  for (let s = 0; s < n; s++) outAtoms.set(outputs[s]!, outStart[s]!);
  return { classOf, next: compact, outStart, outAtoms };
}
