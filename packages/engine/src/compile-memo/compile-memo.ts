import { createHash } from 'node:crypto';
import { type Frozen, type FrozenArray } from './frozen';

/** One remembered structure: what it is, the digest of its input, and its data. */
export interface MemoEntry {
  kind: string;
  key: string;
  value: Frozen;
}

/** The digest a memo files a structure under: SHA-256 of its input, which may be long (a whole phrase list). */
export function memoKey(input: string): string {
  return createHash('sha256').update(input, 'latin1').digest('base64url');
}

/**
 * Remembers what costly compile steps built, by the content of their input, so that a later load of the same
 * content takes the result instead of building it again (compile once): another inspection thread loading the
 * same configuration, a reload, or a later process (memo-file.ts). Structures are immutable once remembered.
 *
 * A shared memo keeps its arrays in SharedArrayBuffers: handed to another thread (entries(), then
 * `new CompileMemo({ entries })` there), they are the same memory, not copies.
 */
export class CompileMemo {
  private readonly map = new Map<string, Frozen>();
  /** Ids of the entries this memo's loads took or built: what the configuration loaded last needs. */
  private readonly used = new Set<string>();
  private readonly shared: boolean;
  /** Structures built by this process since the memo was made or loaded (a memo file is worth saving then). */
  built = 0;
  /** Structures taken from the memo instead of built. */
  reused = 0;

  constructor(options: { shared?: boolean; entries?: Iterable<MemoEntry> } = {}) {
    this.shared = options.shared === true;
    for (const e of options.entries ?? []) this.map.set(`${e.kind}\0${e.key}`, e.value);
  }

  get size(): number {
    return this.map.size;
  }

  /** The structure remembered for `input` (see memoKey), or the one `build` makes, remembered. */
  remember(kind: string, input: string, build: () => Frozen): Frozen {
    return this.rememberKey(kind, memoKey(input), build);
  }

  /** The structure remembered under `key` (see memoKey), or undefined; nothing is built. */
  lookup(kind: string, key: string): Frozen | undefined {
    const id = `${kind}\0${key}`;
    const known = this.map.get(id);
    if (known !== undefined) {
      this.reused++;
      this.used.add(id);
    }
    return known;
  }

  rememberKey(kind: string, key: string, build: () => Frozen): Frozen {
    const known = this.lookup(kind, key);
    if (known !== undefined) return known;
    const id = `${kind}\0${key}`;
    const built = build();
    const value = this.shared ? toShared(built) : built;
    this.map.set(id, value);
    this.used.add(id);
    this.built++;
    return value;
  }

  *entries(): IterableIterator<MemoEntry> {
    for (const [id, value] of this.map) yield entry(id, value);
  }

  /**
   * The entries that loads through this memo took or built, without those of configurations no longer loaded:
   * what an agent hands to its other workers and writes to its memo file, so that neither grows with every
   * edit of the rules.
   */
  *usedEntries(): IterableIterator<MemoEntry> {
    for (const id of this.used) yield entry(id, this.map.get(id)!);
  }
}

function entry(id: string, value: Frozen): MemoEntry {
  const cut = id.indexOf('\0');
  return { kind: id.slice(0, cut), key: id.slice(cut + 1), value };
}

/** The same structure with every array copied into one SharedArrayBuffer. */
function toShared(f: Frozen): Frozen {
  if (Object.keys(f.arrays).length === 0) return f;
  let bytes = 0;
  for (const a of Object.values(f.arrays)) bytes += align8(a.byteLength);
  const buffer = new SharedArrayBuffer(bytes);
  let at = 0;
  const arrays: Record<string, FrozenArray> = {};
  for (const [name, a] of Object.entries(f.arrays)) {
    const Ctor = a.constructor as new (b: ArrayBufferLike, offset: number, length: number) => FrozenArray;
    const copy = new Ctor(buffer, at, a.length);
    copy.set(a);
    arrays[name] = copy;
    at += align8(a.byteLength);
  }
  return { arrays, numbers: f.numbers };
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
