/**
 * Exact lookup of names (ASCII, no NUL) among byte ranges, ignoring ASCII case, without building an
 * upper-cased copy of the range: an open-addressing hash over upper-cased byte codes, verified byte
 * by byte. A key may also be two ranges joined by one space (`UNION` + `ALL`), as the SQLi folder
 * needs. A range holding a NUL or a byte >= 0x80 can never equal a name, and is not found.
 */
export class AsciiNameTable {
  private readonly names: string[];
  private readonly hashes: number[];
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** `[length * 128 + first byte]` is 1 when some name has that length and first byte. */
  private readonly shapes: Uint8Array;
  /** `[i * 128 + first byte]` is 1 when some name with that first byte has a space at `i`. */
  private readonly phraseShapes: Uint8Array;
  readonly longest: number;

  /** `names` are upper-case ASCII without NUL; a name's index is its position here. */
  constructor(names: readonly string[]) {
    this.names = [...names];
    this.hashes = this.names.map((name) => hashRange(0, name, 0, name.length));
    this.longest = this.names.reduce((max, name) => Math.max(max, name.length), 0);
    // At most half full, so that a probe reaches an empty slot quickly.
    let size = 2;
    while (size < this.names.length * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size).fill(-1);
    this.shapes = new Uint8Array((this.longest + 1) * 128);
    this.phraseShapes = new Uint8Array((this.longest + 1) * 128);
    this.names.forEach((name, index) => {
      if (Number.isNaN(this.hashes[index])) throw new Error(`name table: ${JSON.stringify(name)} is not ASCII without NUL`);
      let slot = (this.hashes[index] as number) & this.mask;
      while ((this.slots[slot] as number) >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = index;
      this.shapes[name.length * 128 + name.charCodeAt(0)] = 1;
      for (let i = name.indexOf(' '); i >= 0; i = name.indexOf(' ', i + 1)) this.phraseShapes[i * 128 + name.charCodeAt(0)] = 1;
    });
  }

  /** Index of the name equal to `s[start, start + len)`, or -1. */
  find(s: string, start: number, len: number): number {
    return this.findPhrase(s, start, len, '', 0, -1);
  }

  /**
   * Index of the name equal to `a[aStart, +aLen)` followed, when `bLen >= 0`, by a space and
   * `b[bStart, +bLen)`; or -1. The ranges lie within their strings.
   */
  findPhrase(a: string, aStart: number, aLen: number, b: string, bStart: number, bLen: number): number {
    const total = bLen < 0 ? aLen : aLen + 1 + bLen;
    if (total === 0 || total > this.longest) return -1;
    // Most words are rejected here, by length and first byte, before any hashing.
    const first = aLen > 0 ? a.charCodeAt(aStart) : 0x20;
    if (first >= 0x80) return -1;
    const upperFirst = first >= 0x61 && first <= 0x7a ? first - 0x20 : first;
    if (this.shapes[total * 128 + upperFirst] !== 1) return -1;
    // A pair of words needs a name that has a space right after the first word.
    if (bLen >= 0 && this.phraseShapes[aLen * 128 + upperFirst] !== 1) return -1;
    let h = hashRange(0, a, aStart, aLen);
    if (bLen >= 0) h = hashRange(step(h, 0x20), b, bStart, bLen);
    if (h !== h) return -1;
    const { names, hashes, slots, mask } = this;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const index = slots[slot] as number;
      if (index < 0) return -1;
      const name = names[index] as string;
      if (hashes[index] !== h || name.length !== total || !rangeMatches(name, 0, a, aStart, aLen)) continue;
      if (bLen < 0 || (name.charCodeAt(aLen) === 0x20 && rangeMatches(name, aLen + 1, b, bStart, bLen))) return index;
    }
  }
}

function step(h: number, upperCode: number): number {
  return (Math.imul(h, 31) + upperCode) | 0;
}

/** Hash of `s[start, start + len)` upper-cased, continuing from `h`; NaN when a byte is NUL or >= 0x80. */
function hashRange(h: number, s: string, start: number, len: number): number {
  let out = h;
  for (let i = start; i < start + len; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c >= 0x80) return NaN;
    out = step(out, c >= 0x61 && c <= 0x7a ? c - 0x20 : c);
  }
  return out;
}

function rangeMatches(name: string, at: number, s: string, start: number, len: number): boolean {
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(start + i);
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== name.charCodeAt(at + i)) return false;
  }
  return true;
}
