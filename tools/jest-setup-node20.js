// This project's own tests run chevrotain's grammar self-checks (packages/seclang/src/lexer.ts reads the flag when
// it is first loaded, after this file).
globalThis.__rampartGrammarChecks = true;

// chevrotain 13 uses Object.groupBy (Node 21+) in its grammar self-checks, which run only when asked for.
// The project runs on Node 20, where production skips those checks; tests get this shim.
if (typeof Object.groupBy !== 'function') {
  Object.groupBy = (items, key) => {
    const out = Object.create(null);
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      (out[k] ??= []).push(item);
    }
    return out;
  };
}
