import { freezeStrings, thawStrings, type Frozen, type FrozenArray } from '../compile-memo/frozen';
import type { ScannerTables } from './literal-scanner';
import type { PrefilterTables } from './regex-prefilter';

/** A prefilter's tables as a CompileMemo keeps them. */
export function freezePrefilter(t: PrefilterTables): Frozen {
  const texts = freezeStrings(t.atomTexts);
  return {
    arrays: {
      kind: t.kind,
      childStart: t.childStart,
      childOf: t.childOf,
      atomOf: t.atomOf,
      roots: t.roots,
      triggerStart: t.triggerStart,
      triggered: t.triggered,
      triggerAtom: t.triggerAtom,
      isTriggerAtom: t.isTriggerAtom,
      heavy: t.heavy,
      atomChars: texts.chars,
      atomEnds: texts.ends,
      ...scannerArrays('scanner', t.scanner),
      ...scannerArrays('triggerScanner', t.triggerScanner),
    },
    numbers: {},
  };
}

export function thawPrefilter(f: Frozen): PrefilterTables {
  const a = f.arrays;
  return {
    kind: a.kind as Uint8Array,
    childStart: a.childStart as Int32Array,
    childOf: a.childOf as Int32Array,
    atomOf: a.atomOf as Int32Array,
    roots: a.roots as Int32Array,
    triggerStart: a.triggerStart as Int32Array,
    triggered: a.triggered as Int32Array,
    triggerAtom: a.triggerAtom as Int32Array,
    isTriggerAtom: a.isTriggerAtom as Uint8Array,
    heavy: a.heavy as Uint8Array,
    atomTexts: thawStrings(a.atomChars as Uint8Array | Uint16Array, a.atomEnds as Int32Array),
    scanner: scannerTables('scanner', a),
    triggerScanner: scannerTables('triggerScanner', a),
  };
}

function scannerArrays(prefix: string, t: ScannerTables): Record<string, FrozenArray> {
  return { [`${prefix}.classOf`]: t.classOf, [`${prefix}.next`]: t.next, [`${prefix}.outStart`]: t.outStart, [`${prefix}.outAtoms`]: t.outAtoms };
}

function scannerTables(prefix: string, a: Readonly<Record<string, FrozenArray>>): ScannerTables {
  return {
    classOf: a[`${prefix}.classOf`] as Uint16Array,
    next: a[`${prefix}.next`] as Uint16Array | Int32Array,
    outStart: a[`${prefix}.outStart`] as Int32Array,
    outAtoms: a[`${prefix}.outAtoms`] as Int32Array,
  };
}
