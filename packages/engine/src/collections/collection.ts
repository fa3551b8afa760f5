/** One key/value entry of a collection; `key` keeps the spelling the request (or rule) used. */
export interface Entry {
  key: string;
  value: string;
  /** `VARIABLE:key` (e.g. `ARGS:q`), computed once by the rule evaluator and reused by every rule. */
  name?: string;
  /**
   * The rule evaluator's record for this value (rules/value-state.ts) and the transaction's record map it
   * belongs to: valid while `value` is unchanged and for that transaction only.
   */
  state?: unknown;
  stateOwner?: unknown;
}

/**
 * An ordered multi-map with case-insensitive keys: ARGS, REQUEST_HEADERS, TX, ... Several entries may share
 * a key (repeated arguments or headers) and iteration follows insertion order, as ModSecurity reports them.
 */
export class Collection {
  private readonly entriesList: Entry[] = [];
  /**
   * Entries by lower-case key, built on the first lookup by key and kept up to date after: most collections
   * are only iterated (MATCHED_VARS takes an entry for every matching value), so they never pay for it.
   */
  private index: Map<string, Entry[]> | undefined;
  /**
   * The rule evaluator's record of which prefilter patterns the values trigger, kept here rather than in a
   * map on the transaction (rules/evaluate.ts mayMatchAny; it checks the record's transaction).
   */
  triggerViews: unknown = undefined;

  get size(): number {
    return this.entriesList.length;
  }

  entries(): readonly Entry[] {
    return this.entriesList;
  }

  add(key: string, value: string): void {
    // Every field the evaluator may add later is present from the start: one hidden class for all entries.
    const entry: Entry = { key, value, name: undefined, state: undefined, stateOwner: undefined };
    this.entriesList.push(entry);
    if (this.index !== undefined) indexEntry(this.index, entry);
  }

  /** Replaces every entry of `key` with one entry (setvar semantics). `lowerKey`: the key in lower case, if known. */
  set(key: string, value: string, lowerKey: string = key.toLowerCase()): void {
    const list = this.indexed().get(lowerKey);
    if (list && list.length === 1) {
      list[0]!.value = value;
      return;
    }
    if (list) this.remove(key);
    this.add(key, value);
  }

  get(key: string): readonly Entry[] {
    return this.indexed().get(key.toLowerCase()) ?? EMPTY;
  }

  /** get() for a key already in lower case (selectors compiled once). */
  getLower(lowerKey: string): readonly Entry[] {
    return this.indexed().get(lowerKey) ?? EMPTY;
  }

  first(key: string, lowerKey: string = key.toLowerCase()): string | undefined {
    return this.indexed().get(lowerKey)?.[0]?.value;
  }

  has(key: string): boolean {
    return this.indexed().has(key.toLowerCase());
  }

  remove(key: string): void {
    const index = this.indexed();
    const lower = key.toLowerCase();
    const list = index.get(lower);
    if (!list) return;
    index.delete(lower);
    const gone = new Set(list);
    let w = 0;
    for (const e of this.entriesList) if (!gone.has(e)) this.entriesList[w++] = e;
    this.entriesList.length = w;
  }

  clear(): void {
    if (this.entriesList.length === 0) return;
    this.entriesList.length = 0;
    this.index = undefined;
  }

  private indexed(): Map<string, Entry[]> {
    if (this.index === undefined) {
      this.index = new Map();
      for (const e of this.entriesList) indexEntry(this.index, e);
    }
    return this.index;
  }
}

function indexEntry(index: Map<string, Entry[]>, entry: Entry): void {
  const lower = entry.key.toLowerCase();
  const list = index.get(lower);
  if (list) list.push(entry);
  else index.set(lower, [entry]);
}

const EMPTY: readonly Entry[] = Object.freeze([]);
