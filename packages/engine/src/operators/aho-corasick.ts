import type { CompileMemo } from '../compile-memo/compile-memo';
import { freezeStrings, thawString, type Frozen } from '../compile-memo/frozen';

/**
 * The automaton's shallowest states get a full transition table (one array read per input character); the
 * others, which input reaches only while it spells the start of a phrase, keep their own edges and a failure
 * link. This many bytes of table per automaton: CRS's largest phrase list (45,000 states) took 12 MB as a full
 * table, in every inspection thread, where benign input rarely leaves the first thousand states.
 */
const DENSE_TABLE_BYTES = 512 << 10;

/** A PhraseMatcher's automaton: built from the phrases, or taken from a CompileMemo. */
export interface PhraseTables {
  /** Character class of each latin1 character (0: in no phrase); upper-case letters share the lower-case one's. */
  readonly classOf: Uint16Array;
  /** Classes of characters above 0xFF used by phrases, as pairs (character, class); usually empty. */
  readonly highClasses: Int32Array;
  /**
   * Transitions of the dense states (0 .. denseStates-1, in breadth-first order), denseStates x classes: the
   * next state, or its bitwise NOT when that state reports a phrase.
   */
  readonly dense: Int32Array;
  /** Failure link of each sparse state (denseStates ..), by state - denseStates. */
  readonly fail: Int32Array;
  /** Edges of each sparse state: edgeClass / edgeTarget[edgeStart[s - denseStates] ..]; targets encoded as in dense. */
  readonly edgeStart: Int32Array;
  readonly edgeClass: Uint16Array;
  readonly edgeTarget: Int32Array;
  /** The phrase text a state reports (index into the texts), or -1. */
  readonly reportOf: Int32Array;
  /** The reported texts (frozen strings). */
  readonly textChars: Uint8Array | Uint16Array;
  readonly textEnds: Int32Array;
  readonly classes: number;
  readonly denseStates: number;
  /** Number of distinct phrases (case-folded). */
  readonly size: number;
}

/**
 * A case-insensitive (ASCII only, like C `tolower`) Aho-Corasick automaton over bytes: built once, then
 * each search is linear in the input. Reports what ModSecurity's acmp reports: the first phrase found
 * scanning left to right (earliest end position; at equal ends the longest), spelled as the rule wrote it.
 */
export class PhraseMatcher {
  /** Number of distinct phrases. */
  readonly size: number;
  private readonly classOf: Uint16Array;
  private readonly highClasses: Int32Array;
  private readonly dense: Int32Array;
  private readonly fail: Int32Array;
  private readonly edgeStart: Int32Array;
  private readonly edgeClass: Uint16Array;
  private readonly edgeTarget: Int32Array;
  private readonly reportOf: Int32Array;
  private readonly textChars: Uint8Array | Uint16Array;
  private readonly textEnds: Int32Array;
  private readonly classes: number;
  private readonly denseStates: number;
  /** Texts decoded so far (a match is rare: decoding them all at load would cost more). */
  private readonly texts: Array<string | undefined> = [];

  /** The automaton of `phrases`, or `tables` built before from the same phrases. */
  constructor(phrases: Iterable<string>, tables?: PhraseTables) {
    const t = tables ?? buildPhraseTables(phrases);
    this.size = t.size;
    this.classOf = t.classOf;
    this.highClasses = t.highClasses;
    this.dense = t.dense;
    this.fail = t.fail;
    this.edgeStart = t.edgeStart;
    this.edgeClass = t.edgeClass;
    this.edgeTarget = t.edgeTarget;
    this.reportOf = t.reportOf;
    this.textChars = t.textChars;
    this.textEnds = t.textEnds;
    this.classes = t.classes;
    this.denseStates = t.denseStates;
  }

  /** The matcher of `phrases`, its automaton taken from `memo` when built before from the same phrases. */
  static create(phrases: readonly string[], memo: CompileMemo | undefined): PhraseMatcher {
    if (memo === undefined) return new PhraseMatcher(phrases);
    // Length-prefixed: a phrase may hold any byte, so no separator is safe.
    const input = phrases.map((p) => `${p.length}:${p}`).join('');
    const frozen = memo.remember('phrases/1', input, () => freezePhraseTables(buildPhraseTables(phrases)));
    return new PhraseMatcher([], thawPhraseTables(frozen));
  }

  /** The first phrase found in `input` (as written in the rule), or undefined. */
  search(input: string): string | undefined {
    const end = this.scan(input);
    return end < 0 ? undefined : this.text(this.lastReport);
  }

  /**
   * `[offset, length]` of the phrase search() reports, or empty: ModSecurity's acmp stops at the input byte
   * that completes a phrase, and v3 logs the phrase as ending there.
   */
  locate(input: string): readonly number[] {
    const end = this.scan(input);
    if (end < 0) return NOTHING;
    const length = this.text(this.lastReport).length;
    return [end - length + 1, length];
  }

  /** The state that reported in the last scan. */
  private lastReport = 0;

  /** The position of the input character that completes the first phrase found, or -1. */
  private scan(input: string): number {
    if (this.size === 0) return -1;
    const classOf = this.classOf;
    const dense = this.dense;
    const classes = this.classes;
    const denseStates = this.denseStates;
    const n = input.length;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const c = input.charCodeAt(i);
      const k = c <= 0xff ? classOf[c]! : this.highClass(c);
      // A character in no phrase leads back to the root, whatever the state.
      if (k === 0) {
        state = 0;
        continue;
      }
      const entry = state < denseStates ? dense[state * classes + k]! : this.sparseStep(state, k);
      if (entry < 0) {
        this.lastReport = ~entry;
        return i;
      }
      state = entry;
    }
    return -1;
  }

  /** The transition of a sparse state: its own edge, else its failure state's transition. */
  private sparseStep(from: number, k: number): number {
    let state = from;
    while (state >= this.denseStates) {
      const s = state - this.denseStates;
      for (let e = this.edgeStart[s]!, to = this.edgeStart[s + 1]!; e < to; e++) {
        if (this.edgeClass[e] === k) return this.edgeTarget[e]!;
      }
      state = this.fail[s]!;
    }
    return this.dense[state * this.classes + k]!;
  }

  private highClass(c: number): number {
    const pairs = this.highClasses;
    for (let i = 0; i < pairs.length; i += 2) if (pairs[i] === c) return pairs[i + 1]!;
    return 0;
  }

  private text(state: number): string {
    const index = this.reportOf[state]!;
    return (this.texts[index] ??= thawString(this.textChars, this.textEnds, index));
  }
}

/** Spans of a phrase found (see PhraseMatcher.locate). */
const NOTHING: readonly number[] = Object.freeze([]);

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

/** Builds the automaton of `phrases` (see PhraseTables), with at most `denseTableBytes` of full table. */
export function buildPhraseTables(phrases: Iterable<string>, denseTableBytes = DENSE_TABLE_BYTES): PhraseTables {
  // Character classes: one per (lower-cased) character used by a phrase.
  const list = [...phrases].filter((p) => p !== '');
  const classOf = new Uint16Array(256);
  const high = new Map<number, number>();
  let classes = 1;
  for (const p of list) {
    for (let i = 0; i < p.length; i++) {
      const c = lower(p.charCodeAt(i));
      if (c > 0xff) {
        if (!high.has(c)) high.set(c, classes++);
      } else if (classOf[c] === 0) {
        classOf[c] = classes++;
      }
    }
  }
  for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 0x20]!;
  const classOfChar = (c: number): number => (c <= 0xff ? classOf[c]! : high.get(c)!);

  // The trie: edges in one map keyed by state * classes + class; children as linked lists for the walk below.
  const edges = new Map<number, number>();
  const firstChild: number[] = [-1];
  const nextSibling: number[] = [-1];
  const edgeClassOf: number[] = [0];
  const creator: number[] = [-1];
  const depth: number[] = [0];
  const terminal: boolean[] = [false];
  let size = 0;
  list.forEach((p, phrase) => {
    let state = 0;
    for (let i = 0; i < p.length; i++) {
      const k = classOfChar(lower(p.charCodeAt(i)));
      const key = state * classes + k;
      let next = edges.get(key);
      if (next === undefined) {
        next = firstChild.length;
        edges.set(key, next);
        firstChild.push(-1);
        nextSibling.push(firstChild[state]!);
        firstChild[state] = next;
        edgeClassOf.push(k);
        // ModSecurity labels a state with the prefix of the first phrase that created it.
        creator.push(phrase);
        depth.push(i + 1);
        terminal.push(false);
      }
      state = next;
    }
    if (!terminal[state]) {
      terminal[state] = true;
      size++;
    }
  });
  const n = firstChild.length;

  // Breadth-first order, failure links and the nearest reporting state on each failure chain.
  const order = [0];
  const fail = new Int32Array(n);
  const report = new Int32Array(n).fill(-1);
  for (let q = 0; q < order.length; q++) {
    const s = order[q]!;
    for (let child = firstChild[s]!; child !== -1; child = nextSibling[child]!) {
      const k = edgeClassOf[child]!;
      let f = s === 0 ? -1 : fail[s]!;
      let target = 0;
      while (f !== -1) {
        const t = edges.get(f * classes + k);
        if (t !== undefined) {
          target = t;
          break;
        }
        f = f === 0 ? -1 : fail[f]!;
      }
      fail[child] = target;
      report[child] = terminal[child] ? child : report[target]!;
      order.push(child);
    }
  }

  // Renumber in breadth-first order: the dense states are the first ones.
  const rank = new Int32Array(n);
  order.forEach((state, r) => {
    rank[state] = r;
  });
  const denseStates = Math.max(1, Math.min(n, Math.floor(denseTableBytes / 4 / classes)));
  const texts: string[] = [];
  const textOfState = new Map<number, number>();
  const reportOf = new Int32Array(n).fill(-1);
  for (let state = 0; state < n; state++) {
    const r = report[state]!;
    if (r < 0) continue;
    let index = textOfState.get(r);
    if (index === undefined) {
      index = texts.length;
      texts.push(list[creator[r]!]!.slice(0, depth[r]!));
      textOfState.set(r, index);
    }
    reportOf[rank[state]!] = index;
  }
  const encode = (state: number): number => (report[state]! >= 0 ? ~rank[state]! : rank[state]!);

  const dense = new Int32Array(denseStates * classes);
  for (let r = 0; r < denseStates; r++) {
    const state = order[r]!;
    const row = r * classes;
    // A state's row is its failure state's (shallower, so filled already) with its own edges on top.
    if (state !== 0) dense.copyWithin(row, rank[fail[state]!]! * classes, rank[fail[state]!]! * classes + classes);
    for (let child = firstChild[state]!; child !== -1; child = nextSibling[child]!) dense[row + edgeClassOf[child]!] = encode(child);
  }
  const sparse = n - denseStates;
  const sparseFail = new Int32Array(sparse);
  const edgeStart = new Int32Array(sparse + 1);
  const edgeClass: number[] = [];
  const edgeTarget: number[] = [];
  for (let r = denseStates; r < n; r++) {
    const state = order[r]!;
    sparseFail[r - denseStates] = rank[fail[state]!]!;
    edgeStart[r - denseStates] = edgeClass.length;
    for (let child = firstChild[state]!; child !== -1; child = nextSibling[child]!) {
      edgeClass.push(edgeClassOf[child]!);
      edgeTarget.push(encode(child));
    }
  }
  edgeStart[sparse] = edgeClass.length;
  const frozenTexts = freezeStrings(texts);
  return {
    classOf,
    highClasses: Int32Array.from([...high].flat()),
    dense,
    fail: sparseFail,
    edgeStart,
    edgeClass: Uint16Array.from(edgeClass),
    edgeTarget: Int32Array.from(edgeTarget),
    reportOf,
    textChars: frozenTexts.chars,
    textEnds: frozenTexts.ends,
    classes,
    denseStates,
    size,
  };
}

export function freezePhraseTables(t: PhraseTables): Frozen {
  return {
    arrays: {
      classOf: t.classOf,
      highClasses: t.highClasses,
      dense: t.dense,
      fail: t.fail,
      edgeStart: t.edgeStart,
      edgeClass: t.edgeClass,
      edgeTarget: t.edgeTarget,
      reportOf: t.reportOf,
      textChars: t.textChars,
      textEnds: t.textEnds,
    },
    numbers: { classes: t.classes, denseStates: t.denseStates, size: t.size },
  };
}

export function thawPhraseTables(f: Frozen): PhraseTables {
  const a = f.arrays;
  return {
    classOf: a.classOf as Uint16Array,
    highClasses: a.highClasses as Int32Array,
    dense: a.dense as Int32Array,
    fail: a.fail as Int32Array,
    edgeStart: a.edgeStart as Int32Array,
    edgeClass: a.edgeClass as Uint16Array,
    edgeTarget: a.edgeTarget as Int32Array,
    reportOf: a.reportOf as Int32Array,
    textChars: a.textChars as Uint8Array | Uint16Array,
    textEnds: a.textEnds as Int32Array,
    classes: f.numbers.classes!,
    denseStates: f.numbers.denseStates!,
    size: f.numbers.size!,
  };
}
