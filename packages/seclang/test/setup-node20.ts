// chevrotain 13 declares Node >= 22 and uses Object.groupBy (Node 21+) only in its grammar self-checks, which
// run under tests. The project runs on Node 20, where production skips those checks; tests get this shim.
const withGroupBy = Object as unknown as { groupBy?: unknown };
if (typeof withGroupBy.groupBy !== 'function') {
  withGroupBy.groupBy = <T, K extends PropertyKey>(items: Iterable<T>, key: (item: T, index: number) => K) => {
    const out = Object.create(null) as Record<PropertyKey, T[]>;
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      (out[k] ??= []).push(item);
    }
    return out;
  };
}
