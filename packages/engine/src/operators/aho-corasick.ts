/**
 * A case-insensitive (ASCII only, like C `tolower`) Aho-Corasick automaton over bytes: built once, then
 * each search is linear in the input. Reports what ModSecurity's acmp reports: the first phrase found
 * scanning left to right (earliest end position; at equal ends the longest), spelled as the rule wrote it.
 */
export class PhraseMatcher {
  private readonly children: Array<Map<number, number>> = [new Map()];
  private readonly text: string[] = [''];
  private readonly terminal: boolean[] = [false];
  private fail: Int32Array = new Int32Array(1);
  /** Nearest terminal state on the fail chain (excluding the state itself), or -1. */
  private dictSuffix: Int32Array = new Int32Array(1);
  /**
   * The automaton as a full transition table over character classes (each character used by a phrase has
   * a class; every other character is class 0), built when every phrase is latin1: one array read per
   * input character instead of a walk along failure links. `next[row + classOf[c]]` is the offset of the next
   * state's row (so the search multiplies nothing), or its bitwise NOT when that state reports a phrase, so a
   * single sign test per character decides whether the scan goes on.
   */
  private table: { classOf: Uint16Array; classes: number; next: Int32Array; report: Int32Array } | undefined;

  /** Number of distinct phrases. */
  size = 0;

  constructor(phrases: Iterable<string>) {
    for (const p of phrases) this.add(p);
    this.build();
  }

  private add(phrase: string): void {
    if (phrase === '') return;
    let state = 0;
    for (let i = 0; i < phrase.length; i++) {
      const c = lower(phrase.charCodeAt(i));
      const kids = this.children[state] as Map<number, number>;
      let next = kids.get(c);
      if (next === undefined) {
        next = this.children.length;
        this.children.push(new Map());
        // ModSecurity labels a state with the prefix of the first phrase that created it.
        this.text.push(phrase.slice(0, i + 1));
        this.terminal.push(false);
        kids.set(c, next);
      }
      state = next;
    }
    if (!this.terminal[state]) {
      this.terminal[state] = true;
      this.size++;
    }
  }

  private build(): void {
    const n = this.children.length;
    this.fail = new Int32Array(n);
    this.dictSuffix = new Int32Array(n).fill(-1);
    const queue: number[] = [];
    for (const child of (this.children[0] as Map<number, number>).values()) {
      this.fail[child] = 0;
      queue.push(child);
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const state = queue[qi] as number;
      for (const [c, child] of this.children[state] as Map<number, number>) {
        let f = this.fail[state] as number;
        while (f !== 0 && !(this.children[f] as Map<number, number>).has(c)) f = this.fail[f] as number;
        const target = (this.children[f] as Map<number, number>).get(c);
        const fc = target !== undefined && target !== child ? target : 0;
        this.fail[child] = fc;
        this.dictSuffix[child] = this.terminal[fc] ? fc : (this.dictSuffix[fc] as number);
        queue.push(child);
      }
    }
    this.table = this.buildTable(queue);
  }

  private buildTable(bfsOrder: readonly number[]): PhraseMatcher['table'] {
    const classOf = new Uint16Array(256);
    let classes = 1;
    for (const kids of this.children) {
      for (const c of kids.keys()) {
        if (c > 0xff) return undefined;
        if (classOf[c] === 0) classOf[c] = classes++;
      }
    }
    // Input is lower-cased like the phrases: upper-case letters share their lower-case class.
    for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 0x20]!;
    const n = this.children.length;
    // Rows are laid out in breadth-first order: the root and the shallow states, where a scan of benign input
    // spends nearly all its time, share the first cache lines of the table instead of being spread over it.
    const rowOf = new Int32Array(n);
    bfsOrder.forEach((state, rank) => {
      rowOf[state] = (rank + 1) * classes;
    });
    const next = new Int32Array(n * classes);
    // By row number (row / classes): the state whose text a match reports there, or -1.
    const report = new Int32Array(n).fill(-1);
    for (let state = 0; state < n; state++) {
      report[(rowOf[state] as number) / classes] = this.terminal[state] ? state : (this.dictSuffix[state] as number);
    }
    // Filled in breadth-first order, so a state's failure target (closer to the root) is complete first.
    const fill = (state: number): void => {
      const base = rowOf[state] as number;
      const failBase = rowOf[this.fail[state] as number] as number;
      for (let k = 0; k < classes; k++) next[base + k] = state === 0 ? 0 : (next[failBase + k] as number);
      for (const [c, child] of this.children[state] as Map<number, number>) {
        const target = rowOf[child] as number;
        next[base + (classOf[c] as number)] = (report[target / classes] as number) >= 0 ? ~target : target;
      }
    };
    fill(0);
    for (const state of bfsOrder) fill(state);
    return { classOf, classes, next, report };
  }

  /** The first phrase found in `input` (as written in the rule), or undefined. */
  search(input: string): string | undefined {
    if (this.size === 0) return undefined;
    const table = this.table;
    if (table !== undefined) {
      const { classOf, classes, next, report } = table;
      const n = input.length;
      let row = 0;
      for (let i = 0; i < n; i++) {
        const c = input.charCodeAt(i);
        // A character above 0xFF is in no phrase: no match can span it (and the root reports nothing).
        if (c > 0xff) {
          row = 0;
          continue;
        }
        const entry = next[row + (classOf[c] as number)] as number;
        if (entry < 0) return this.text[report[~entry / classes] as number];
        row = entry;
      }
      return undefined;
    }
    const children = this.children;
    const fail = this.fail;
    let state = 0;
    for (let i = 0; i < input.length; i++) {
      const c = lower(input.charCodeAt(i));
      let next = (children[state] as Map<number, number>).get(c);
      while (next === undefined && state !== 0) {
        state = fail[state] as number;
        next = (children[state] as Map<number, number>).get(c);
      }
      state = next ?? 0;
      if (this.terminal[state]) return this.text[state];
      const suffix = this.dictSuffix[state] as number;
      if (suffix >= 0) return this.text[suffix];
    }
    return undefined;
  }

  /**
   * `[offset, length]` of the phrase search() reports, or empty: ModSecurity's acmp stops at the input byte
   * that completes a phrase, and v3 logs the phrase as ending there. Kept apart from search() so that the
   * scan most values go through stays as it is; only matched values are located.
   */
  locate(input: string): readonly number[] {
    const children = this.children;
    const fail = this.fail;
    let state = 0;
    for (let i = 0; i < input.length; i++) {
      const lc = lower(input.charCodeAt(i));
      let next = (children[state] as Map<number, number>).get(lc);
      while (next === undefined && state !== 0) {
        state = fail[state] as number;
        next = (children[state] as Map<number, number>).get(lc);
      }
      state = next ?? 0;
      const found = this.terminal[state] ? state : (this.dictSuffix[state] as number);
      if (found >= 0) {
        const length = (this.text[found] as string).length;
        return [i - length + 1, length];
      }
    }
    return NOTHING;
  }
}

/** Spans of a phrase found (see PhraseMatcher.locate). */
const NOTHING: readonly number[] = Object.freeze([]);

function lower(c: number): number {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}
