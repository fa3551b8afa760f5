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
  private readonly index = new Map<string, Entry[]>();

  get size(): number {
    return this.entriesList.length;
  }

  entries(): readonly Entry[] {
    return this.entriesList;
  }

  add(key: string, value: string): void {
    const entry = { key, value };
    this.entriesList.push(entry);
    const lower = key.toLowerCase();
    const list = this.index.get(lower);
    if (list) list.push(entry);
    else this.index.set(lower, [entry]);
  }

  /** Replaces every entry of `key` with one entry (setvar semantics). */
  set(key: string, value: string): void {
    const lower = key.toLowerCase();
    const list = this.index.get(lower);
    if (list && list.length === 1) {
      list[0]!.value = value;
      return;
    }
    if (list) this.remove(key);
    this.add(key, value);
  }

  get(key: string): readonly Entry[] {
    return this.index.get(key.toLowerCase()) ?? EMPTY;
  }

  /** get() for a key already in lower case (selectors compiled once). */
  getLower(lowerKey: string): readonly Entry[] {
    return this.index.get(lowerKey) ?? EMPTY;
  }

  first(key: string): string | undefined {
    return this.index.get(key.toLowerCase())?.[0]?.value;
  }

  has(key: string): boolean {
    return this.index.has(key.toLowerCase());
  }

  remove(key: string): void {
    const lower = key.toLowerCase();
    const list = this.index.get(lower);
    if (!list) return;
    this.index.delete(lower);
    const gone = new Set(list);
    let w = 0;
    for (const e of this.entriesList) if (!gone.has(e)) this.entriesList[w++] = e;
    this.entriesList.length = w;
  }

  clear(): void {
    if (this.entriesList.length === 0) return;
    this.entriesList.length = 0;
    this.index.clear();
  }
}

const EMPTY: readonly Entry[] = Object.freeze([]);
