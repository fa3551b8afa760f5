/** A record's first marker line in either layout: v3 `---XXXXXXXX---A--`, v2 `--xxxxxxxx-A--`. */
const START = /^(?:---([0-9A-Za-z]{8})---|--([0-9a-f]{8})-)A--\n/gm;

/** The bytes after which an unfinished record is given up as torn (a writer that died mid-record). */
const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * Cuts a Serial Native log that arrives in pieces into whole records, each from its A marker to its own Z marker
 * line. A record ends only at the Z marker with its own boundary, so a request body that carries marker-like
 * lines stays inside its record. Bytes that belong to no whole record (a torn or interleaved write) are handed
 * to `garbage`; they never end up inside a record.
 */
export class NativeSplitter {
  private buf = '';
  /** How far past the start of the record at the head of `buf` its end marker was already looked for. */
  private searched = 0;

  constructor(
    private readonly onRecord: (text: string) => void,
    private readonly garbage: (text: string) => void,
  ) {}

  push(text: string): void {
    this.buf += text;
    this.drain(false);
  }

  /** The input ended: a record still open is torn. */
  end(): void {
    this.drain(true);
    if (this.buf.trim() !== '') this.garbage(this.buf);
    this.buf = '';
  }

  private drain(atEnd: boolean): void {
    let pos = 0;
    for (;;) {
      START.lastIndex = pos;
      const m = START.exec(this.buf);
      if (!m) {
        // Keep a tail that may be the beginning of a marker line.
        const keep = atEnd ? this.buf.length : Math.max(pos, this.buf.length - 24);
        if (this.buf.slice(pos, keep).trim() !== '') this.garbage(this.buf.slice(pos, keep));
        pos = keep;
        break;
      }
      const start = m.index;
      if (start > pos && this.buf.slice(pos, start).trim() !== '') this.garbage(this.buf.slice(pos, start));
      const endMarker = m[1] !== undefined ? `\n---${m[1]}---Z--\n` : `\n--${m[2]!}-Z--\n`;
      const end = this.buf.indexOf(endMarker, start + (start === 0 ? this.searched : 0));
      if (end !== -1) {
        this.searched = 0;
        // A record torn and then written again with the same boundary: the last A marker before the end starts it.
        // (The writer keeps its boundary out of the content, so the marker is searched for anywhere: a torn
        // write usually stops mid-line.)
        const again = this.buf.lastIndexOf(m[0], end);
        if (again > start) {
          this.garbage(this.buf.slice(start, again));
          const record = this.buf.slice(again, end + endMarker.length);
          this.onRecord(record);
          pos = end + endMarker.length;
          continue;
        }
        this.onRecord(this.buf.slice(start, end + endMarker.length));
        pos = end + endMarker.length;
        continue;
      }
      if (!atEnd && this.buf.length - start < MAX_RECORD_BYTES) {
        // Wait for more; the next search starts where the marker could begin in the bytes still to come.
        this.searched = Math.max(0, this.buf.length - start - endMarker.length);
        pos = start;
        break;
      }
      this.searched = 0;
      // Torn: up to the next record's start is garbage.
      START.lastIndex = start + 1;
      const next = START.exec(this.buf);
      const nextStart = next ? next.index : this.buf.length;
      this.garbage(this.buf.slice(start, nextStart));
      pos = nextStart;
    }
    this.buf = this.buf.slice(pos);
  }
}
