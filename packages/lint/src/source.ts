import type { SourceLocation } from '@rampart/seclang';

/**
 * A linted file's text with its line table, so that checks can read what the author wrote (formatting,
 * comments, the exact spelling of a name) and fixes can say which characters to replace. Locations are the
 * parser's: 1-based line and column, end inclusive.
 */
export class SourceFile {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The offset of a 1-based line and column (clamped to the text). */
  offset(line: number, column: number): number {
    const start = this.lineStarts[Math.min(Math.max(line, 1), this.lineStarts.length) - 1] as number;
    return Math.min(start + Math.max(column, 1) - 1, this.text.length);
  }

  /** The offset of a location's first character. */
  start(loc: SourceLocation): number {
    return this.offset(loc.line, loc.column);
  }

  /** The offset just past a location's last character. */
  end(loc: SourceLocation): number {
    return Math.min(this.offset(loc.endLine, loc.endColumn) + 1, this.text.length);
  }

  /** The text a location covers. */
  slice(loc: SourceLocation): string {
    return this.text.slice(this.start(loc), this.end(loc));
  }

  /** Offset of the first character of a 1-based line. */
  lineStart(line: number): number {
    return this.offset(line, 1);
  }

  /** Offset of a line's end (its `\n`, or the end of the text), a `\r` before it excluded. */
  lineEnd(line: number): number {
    const next = line < this.lineStarts.length ? (this.lineStarts[line] as number) - 1 : this.text.length;
    return next > this.lineStart(line) && this.text[next - 1] === '\r' ? next - 1 : next;
  }

  /** A line's text without its line break. */
  line(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (starts[lo] as number) + 1 };
  }

  /** The location of `text[start, end)` (an empty range locates the position `start`). */
  loc(start: number, end: number): SourceLocation {
    const a = this.position(start);
    const b = this.position(Math.max(start, end - 1));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}
