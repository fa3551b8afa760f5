/**
 * Skips RE2 calls that cannot match. Each constant `@rx` pattern gets a requirement over literal strings
 * (prefilter/requirements.ts); one LiteralScanner finds every requirement's strings in a value in a single
 * pass, and a rule whose requirement fails on that value is answered "no match" without calling RE2. CRS
 * patterns mostly need a keyword or a metacharacter that ordinary values lack, so most values reach RE2
 * for only a few rules.
 *
 * A value is scanned once per transaction, whatever chain or rule asks: the answer (which rules may match)
 * depends only on the string.
 */
import { LiteralScanner, type ScannerTables } from './literal-scanner';
import { parseRegex, UnsupportedSyntax } from './regex-syntax';
import { requirementOf, type Requirement } from './requirements';

export interface PrefilterRef {
  prefilter: RegexPrefilter;
  /** This pattern's index among the prefilter's patterns. */
  index: number;
}

/** Indices of the patterns that may match a value; every other pattern cannot. `null`: all may. */
export type Candidates = readonly number[] | null;

/**
 * What a scan found in one value: its atoms, and which patterns they trigger. A triggered pattern's
 * requirement is evaluated only when a rule asks about it (a header value is seen by few of the rules whose
 * patterns its atoms trigger), and the answer is kept. `null` when the value is outside what the scanner
 * handles: every pattern may match.
 */
export interface ValueAnalysis {
  /** The value, kept for the full scan. */
  readonly text: string;
  /** The trigger atoms the value contains. */
  readonly triggers: readonly number[];
  /** Every atom the value contains: made by the full scan, only once a heavy requirement is evaluated. */
  found: readonly number[] | undefined;
  /**
   * One bit per pattern: one of its triggers was found. Plain arrays of small integers: allocating a typed
   * array costs V8 about 250 ns, five times a packed array's cost, and a transaction makes one per value.
   */
  readonly bits: number[];
}

/** A requirement with more non-trigger atoms than this is evaluated after a full scan (RegexPrefilter.heavy). */
const LIGHT_ATOMS = 32;

/** A set of patterns as words of WORD_BITS bits (newTriggerSet, unionTriggered, mayTrigger). */
export type TriggerSet = number[];

/** Bits per word: 30 keeps every word a small integer (31-bit signed on V8), so arrays stay packed. */
const WORD_BITS = 30;

/** A packed array of `n` zeros. */
function zeros(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(0);
  return out;
}

const ATOM = 0;
const AND = 1;

/**
 * The patterns' requirements form one graph of atoms, AND and OR nodes, shared where they are equal. Each
 * pattern has trigger atoms, at least one of which any value satisfying its requirement contains (an AND
 * contributes the triggers of its most selective part only). A scan records which atoms a value contains;
 * only patterns with a trigger among them have their requirement evaluated, so the work follows what the
 * value contains rather than the size of the requirements (CRS's command lists need thousands of atoms).
 */
export class RegexPrefilter {
  /** What the constructor built (or was given): immutable, and what a CompileMemo keeps. */
  readonly tables: PrefilterTables;
  private readonly scanner: LiteralScanner;
  private readonly kind: Uint8Array;
  private readonly childStart: Int32Array;
  private readonly childOf: Int32Array;
  /** The atom a node stands for (atoms only). */
  private readonly atomOf: Int32Array;
  /** Patterns to evaluate when an atom is found: triggered[triggerStart[a] .. triggerStart[a+1]). */
  private readonly triggerStart: Int32Array;
  private readonly triggered: Int32Array;
  private readonly roots: Int32Array;
  private readonly atomStamp: Int32Array;
  private readonly foundAtoms: number[] = [];
  /** Whether each atom is a trigger atom: the trigger scan tells exactly whether a value contains it. */
  private readonly isTriggerAtom: Uint8Array;
  /**
   * Patterns whose requirement has more than LIGHT_ATOMS other atoms (PHP function lists, 933151): evaluated
   * after a full scan. The others look their few other atoms up in the value itself, which costs less than a
   * walk through the full automaton's table (megabytes: a cache miss per character).
   */
  private readonly heavy: Uint8Array;
  private readonly atomTexts: readonly string[];
  /** Answers of the direct lookups, valid with the current stamp. */
  private readonly checkStamp: Int32Array;
  private readonly checkResult: Uint8Array;
  /** The loaded analysis has every atom marked (full scan), not just its trigger atoms. */
  private fullyScanned = false;
  /** The loaded value, case-folded, for the direct lookups (made on first use). */
  private folded: string | undefined;
  /**
   * The first scan looks for trigger atoms only: a few hundred, where all atoms are thousands (CRS's command
   * and keyword lists in AND parts). Its automaton is a fifth of the size, and the full automaton's table
   * (megabytes of transitions, a cache miss per character) is walked only for the rare values that
   * trigger a pattern whose requirement is then asked about.
   */
  private readonly triggerScanner: LiteralScanner;
  /** The atom index of each of triggerScanner's atoms. */
  private readonly triggerAtom: Int32Array;
  private readonly triggerStamp: Int32Array;
  private readonly triggerHits: number[] = [];
  private readonly evalStamp: Int32Array;
  private readonly evalResult: Uint8Array;
  private stamp = 0;
  /** The analysis whose atoms atomStamp currently marks (with the current stamp). */
  private loaded: ValueAnalysis | null = null;
  private readonly words: number;
  /** Each pattern's word and bit in the bit sets. */
  private readonly wordOf: Int32Array;
  private readonly bitOf: Int32Array;
  /** A shared empty set of triggered patterns: never to be written (unionTriggered needs a newTriggerSet). */
  readonly noTriggers: TriggerSet;
  /** A value that triggers no pattern: one shared analysis serves them all (never written). */
  private readonly nothingFound: ValueAnalysis;

  /**
   * The prefilter of patterns with these requirements (none of them `true`: a pattern that requires nothing is
   * not given one), or the one whose tables were built before from the same requirements (prefilterTables).
   */
  constructor(input: ReadonlyArray<Exclude<Requirement, true>> | PrefilterTables) {
    const t = Array.isArray(input) ? prefilterTables(input as ReadonlyArray<Exclude<Requirement, true>>) : (input as PrefilterTables);
    this.tables = t;
    this.kind = t.kind;
    this.childStart = t.childStart;
    this.childOf = t.childOf;
    this.atomOf = t.atomOf;
    this.roots = t.roots;
    this.triggerStart = t.triggerStart;
    this.triggered = t.triggered;
    this.triggerAtom = t.triggerAtom;
    this.isTriggerAtom = t.isTriggerAtom;
    this.heavy = t.heavy;
    this.atomTexts = t.atomTexts;
    this.scanner = new LiteralScanner(t.atomTexts, t.scanner);
    this.triggerScanner = new LiteralScanner(Array.from(t.triggerAtom, (atom) => t.atomTexts[atom]!), t.triggerScanner);
    const atoms = t.atomTexts.length;
    const patterns = t.roots.length;
    this.triggerStamp = new Int32Array(t.triggerAtom.length);
    this.checkStamp = new Int32Array(atoms);
    this.checkResult = new Uint8Array(atoms);
    this.atomStamp = new Int32Array(atoms);
    this.evalStamp = new Int32Array(t.kind.length);
    this.evalResult = new Uint8Array(t.kind.length);
    this.words = Math.ceil(patterns / WORD_BITS);
    this.wordOf = Int32Array.from(t.roots, (_, p) => Math.floor(p / WORD_BITS));
    this.bitOf = Int32Array.from(t.roots, (_, p) => 1 << p % WORD_BITS);
    this.nothingFound = { text: '', triggers: [], found: [], bits: zeros(this.words) };
    this.noTriggers = zeros(this.words);
  }

  get atomCount(): number {
    return this.scanner.atoms.length;
  }

  /** Scans a value; its patterns are then asked about with allows(). */
  analyse(value: string): ValueAnalysis | null {
    this.nextStamp();
    // The new stamp unmarks the atoms of the analysis loaded before: it must be reloaded if asked about again.
    this.loaded = null;
    const hits = this.triggerHits;
    // Setting an array's length is a runtime call even when it changes nothing.
    if (hits.length !== 0) hits.length = 0;
    if (!this.triggerScanner.collect(value, this.triggerStamp, this.stamp, hits)) return null;
    if (hits.length === 0) return this.nothingFound;
    const bits = zeros(this.words);
    const triggers: number[] = [];
    for (let h = 0; h < hits.length; h++) {
      const atom = this.triggerAtom[hits[h]!]!;
      triggers.push(atom);
      for (let i = this.triggerStart[atom]!; i < this.triggerStart[atom + 1]!; i++) {
        const pattern = this.triggered[i]!;
        bits[this.wordOf[pattern]!]! |= this.bitOf[pattern]!;
      }
    }
    return { text: value, triggers, found: undefined, bits };
  }

  /** Whether pattern `index` may match the analysed value. */
  allows(analysis: ValueAnalysis | null, index: number): boolean {
    if (analysis === null) return true;
    const bits = analysis.bits;
    const word = this.wordOf[index]!;
    const bit = this.bitOf[index]!;
    if ((bits[word]! & bit) === 0) return false;
    if (this.loaded !== analysis) {
      // Mark this value's atoms again (the memo of node results starts afresh with the new stamp).
      this.nextStamp();
      const marked = analysis.found ?? analysis.triggers;
      for (let i = 0; i < marked.length; i++) this.atomStamp[marked[i]!] = this.stamp;
      this.fullyScanned = analysis.found !== undefined;
      this.folded = undefined;
      this.loaded = analysis;
    }
    if (!this.fullyScanned && this.heavy[index] === 1) {
      if (this.foundAtoms.length !== 0) this.foundAtoms.length = 0;
      // The trigger scan already saw every character is latin1, so the full scan completes. It skips the atoms
      // already marked (the triggers); node answers memoised so far stay valid, all atom answers being exact.
      this.scanner.collect(analysis.text, this.atomStamp, this.stamp, this.foundAtoms);
      analysis.found = analysis.triggers.concat(this.foundAtoms);
      this.fullyScanned = true;
    }
    // Not remembered per value: a pattern belongs to one rule, which asks about a value once.
    return this.holds(this.roots[index]!);
  }

  /** An empty set of triggered patterns, for unionTriggered. */
  newTriggerSet(): TriggerSet {
    return zeros(this.words);
  }

  /** Whether the analysed value triggers no pattern (unionTriggered would add nothing). */
  triggersNothing(analysis: ValueAnalysis): boolean {
    return analysis === this.nothingFound;
  }

  /** Adds the patterns the analysed value triggers to `into`. */
  unionTriggered(into: TriggerSet, analysis: ValueAnalysis): void {
    if (analysis === this.nothingFound) return;
    const bits = analysis.bits;
    for (let w = 0; w < this.words; w++) into[w]! |= bits[w]!;
  }

  /** Whether pattern `index` is in a set of triggered patterns: if not, it matches none of the values. */
  mayTrigger(set: TriggerSet, index: number): boolean {
    return (set[this.wordOf[index]!]! & this.bitOf[index]!) !== 0;
  }

  /** Every pattern that may match `value` (all at once; the engine asks pattern by pattern). */
  candidates(value: string): Candidates {
    const analysis = this.analyse(value);
    if (analysis === null) return null;
    const out: number[] = [];
    for (let p = 0; p < this.roots.length; p++) if (this.allows(analysis, p)) out.push(p);
    return out;
  }

  private nextStamp(): void {
    if (this.stamp === 0x7fffffff) {
      this.stamp = 0;
      this.atomStamp.fill(0);
      this.triggerStamp.fill(0);
      this.checkStamp.fill(0);
      this.evalStamp.fill(0);
      this.loaded = null;
    }
    this.stamp++;
  }

  /** Whether the loaded value contains a non-trigger atom, looked up directly (memoised per value). */
  private contains(atom: number): boolean {
    if (this.checkStamp[atom] === this.stamp) return this.checkResult[atom] === 1;
    // toLowerCase folds exactly the latin1 letters foldLatin1 folds (A-Z, À-Þ but ×); atoms are folded.
    this.folded ??= this.loaded!.text.toLowerCase();
    const result = this.folded.indexOf(this.atomTexts[atom]!) !== -1;
    this.checkStamp[atom] = this.stamp;
    this.checkResult[atom] = result ? 1 : 0;
    return result;
  }

  /** Whether a node's requirement holds for the value just scanned (memoised per value). */
  private holds(node: number): boolean {
    const kind = this.kind[node]!;
    if (kind === ATOM) {
      const atom = this.atomOf[node]!;
      if (this.atomStamp[atom] === this.stamp) return true;
      if (this.fullyScanned || this.isTriggerAtom[atom] === 1) return false;
      return this.contains(atom);
    }
    if (this.evalStamp[node] === this.stamp) return this.evalResult[node] === 1;
    let result = kind === AND;
    for (let i = this.childStart[node]!; i < this.childStart[node + 1]!; i++) {
      if (this.holds(this.childOf[i]!) !== result) {
        result = !result;
        break;
      }
    }
    this.evalStamp[node] = this.stamp;
    this.evalResult[node] = result ? 1 : 0;
    return result;
  }
}

/** A RegexPrefilter's immutable part, built once from the requirements (shared by threads through a memo). */
export interface PrefilterTables {
  /** Per node: ATOM, AND or OR; children childOf[childStart[n] .. childStart[n+1]). */
  readonly kind: Uint8Array;
  readonly childStart: Int32Array;
  readonly childOf: Int32Array;
  /** The atom a node stands for (atoms only), else -1. */
  readonly atomOf: Int32Array;
  /** Each pattern's requirement node. */
  readonly roots: Int32Array;
  /** Patterns to evaluate when an atom is found: triggered[triggerStart[a] .. triggerStart[a+1]). */
  readonly triggerStart: Int32Array;
  readonly triggered: Int32Array;
  /** The atom of each of the trigger scanner's atoms. */
  readonly triggerAtom: Int32Array;
  readonly isTriggerAtom: Uint8Array;
  /** Patterns evaluated after a full scan (more than LIGHT_ATOMS other atoms). */
  readonly heavy: Uint8Array;
  readonly atomTexts: readonly string[];
  readonly scanner: ScannerTables;
  readonly triggerScanner: ScannerTables;
}

/** Builds a prefilter's tables from its patterns' requirements. */
export function prefilterTables(requirements: ReadonlyArray<Exclude<Requirement, true>>): PrefilterTables {
  const graph = new RequirementGraph();
  const roots = Int32Array.from(requirements.map((r) => graph.intern(r)));
  const n = graph.kinds.length;
  const kind = Uint8Array.from(graph.kinds);
  const [childStart, childOf] = flatten(graph.children);
  const atomOf = new Int32Array(n).fill(-1);
  graph.atomNodes.forEach((node, atom) => {
    atomOf[node] = atom;
  });
  const atomIndex = new Map(graph.atomTexts.map((text, atom) => [text, atom]));
  const triggerLists: number[][] = graph.atomTexts.map(() => []);
  requirements.forEach((r, pattern) => {
    for (const text of triggersOf(r).atoms) triggerLists[atomIndex.get(text)!]!.push(pattern);
  });
  const [triggerStart, triggered] = flatten(triggerLists);
  const triggerAtoms: number[] = [];
  triggerLists.forEach((patterns, atom) => {
    if (patterns.length > 0) triggerAtoms.push(atom);
  });
  const isTriggerAtom = new Uint8Array(graph.atomTexts.length);
  for (const atom of triggerAtoms) isTriggerAtom[atom] = 1;
  const otherAtoms = (node: number, out: Set<number>, seen: Set<number>): Set<number> => {
    if (seen.has(node)) return out;
    seen.add(node);
    if (kind[node] === ATOM) {
      const atom = atomOf[node]!;
      if (isTriggerAtom[atom] !== 1) out.add(atom);
      return out;
    }
    for (let i = childStart[node]!; i < childStart[node + 1]!; i++) otherAtoms(childOf[i]!, out, seen);
    return out;
  };
  const heavy = Uint8Array.from(roots, (root) => (otherAtoms(root, new Set(), new Set()).size > LIGHT_ATOMS ? 1 : 0));
  return {
    kind,
    childStart,
    childOf,
    atomOf,
    roots,
    triggerStart,
    triggered,
    triggerAtom: Int32Array.from(triggerAtoms),
    isTriggerAtom,
    heavy,
    atomTexts: graph.atomTexts,
    scanner: new LiteralScanner(graph.atomTexts).tables,
    triggerScanner: new LiteralScanner(triggerAtoms.map((atom) => graph.atomTexts[atom]!)).tables,
  };
}

/** Interns requirement nodes so that equal sub-requirements are one node. */
class RequirementGraph {
  readonly kinds: number[] = [];
  readonly children: number[][] = [];
  readonly atomTexts: string[] = [];
  /** Node of each atom, by atom index. */
  readonly atomNodes: number[] = [];
  /** Node count of each node's requirement (shared parts counted each time). */
  private readonly sizes: number[] = [];
  private readonly ids = new Map<string, number>();

  intern(r: Exclude<Requirement, true>): number {
    if (r.op === 'atom') {
      return this.node(`a:${r.text}`, ATOM, [], () => {
        this.atomTexts.push(r.text);
        this.atomNodes.push(this.kinds.length);
      });
    }
    const kids = [...new Set(r.parts.map((p) => this.intern(p as Exclude<Requirement, true>)))].sort((a, b) => a - b);
    if (kids.length === 1) return kids[0]!;
    const key = `${r.op}:${kids.join(',')}`;
    // Evaluation order: the smallest parts first, so a missing atom or a present one decides early.
    kids.sort((a, b) => this.sizes[a]! - this.sizes[b]!);
    return this.node(key, r.op === 'and' ? AND : 2, kids, () => undefined);
  }

  private node(key: string, kind: number, kids: number[], onNew: () => void): number {
    const known = this.ids.get(key);
    if (known !== undefined) return known;
    onNew();
    const id = this.kinds.length;
    this.kinds.push(kind);
    this.children.push(kids);
    this.sizes.push(kids.reduce((sum, k) => sum + this.sizes[k]!, 1));
    this.ids.set(key, id);
    return id;
  }
}

/**
 * Atoms at least one of which any value meeting the requirement contains: an OR needs all its parts'
 * triggers, an AND only those of its most selective part (single characters are common in values, longer
 * strings rare).
 */
export function triggersOf(r: Exclude<Requirement, true>): { atoms: string[]; cost: number } {
  if (r.op === 'atom') return { atoms: [r.text], cost: atomCost(r.text) };
  const parts = r.parts.map((p) => triggersOf(p as Exclude<Requirement, true>));
  if (r.op === 'and') return parts.reduce((best, p) => (p.cost < best.cost ? p : best));
  return { atoms: [...new Set(parts.flatMap((p) => p.atoms))], cost: parts.reduce((sum, p) => sum + p.cost, 0) };
}

/**
 * Whether checking the requirement is cheaper than running the pattern. A requirement triggered by a single
 * letter or digit is met by most values, and evaluating it then costs more than the RE2 call it could save
 * (CRS's evasion-tolerant command lists, `c[\\'"]*a[\\'"]*t`): those patterns are left to RE2.
 */
export function worthPrefiltering(r: Exclude<Requirement, true>): boolean {
  return !triggersOf(r).atoms.some((a) => /^[a-z0-9]$/.test(a));
}

/** How likely a value is to contain the atom, roughly. */
function atomCost(text: string): number {
  if (text.length >= 4) return 0.01;
  if (text.length === 3) return 0.05;
  if (text.length === 2) return 0.2;
  return /[a-z0-9]/.test(text) ? 1 : 0.5;
}

function flatten(lists: number[][]): [Int32Array, Int32Array] {
  const start = new Int32Array(lists.length + 1);
  let total = 0;
  lists.forEach((l, i) => {
    start[i] = total;
    total += l.length;
  });
  start[lists.length] = total;
  const flat = new Int32Array(total);
  lists.forEach((l, i) => flat.set(l, start[i]!));
  return [start, flat];
}

/** The requirement of an RE2 pattern, or undefined when it requires nothing or cannot be analysed. */
export function patternRequirement(source: string): Exclude<Requirement, true> | undefined {
  let r: Requirement;
  try {
    r = requirementOf(parseRegex(source));
  } catch (e) {
    if (e instanceof UnsupportedSyntax) return undefined;
    // Deeply nested patterns can exhaust the stack (RE2 accepts nesting up to 1000): the pattern simply keeps
    // its RE2 call. Anything else is a bug in the analysis and must be seen.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  return r === true ? undefined : r;
}

/** Whether the pattern `ref` names may match the value; the value is scanned once per transaction. */
export function prefilterAllows(state: { readonly text: string; analysis: ValueAnalysis | null | undefined }, ref: PrefilterRef): boolean {
  return ref.prefilter.allows(analysisOf(state, ref.prefilter), ref.index);
}

/** The value's analysis, made on first use and kept in its record. */
export function analysisOf(state: { readonly text: string; analysis: ValueAnalysis | null | undefined }, prefilter: RegexPrefilter): ValueAnalysis | null {
  let analysis = state.analysis;
  if (analysis === undefined) {
    analysis = prefilter.analyse(state.text);
    state.analysis = analysis;
  }
  return analysis;
}
