import type { SourceLocation } from './ast';

/** A file's text with a line table: turns offsets into 1-based line:column locations. */
export class SourceText {
  private readonly lineStarts: number[];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    const starts = [0];
    let i = text.indexOf('\n');
    while (i !== -1) {
      starts.push(i + 1);
      i = text.indexOf('\n', i + 1);
    }
    this.lineStarts = starts;
  }

  /** Line (1-based) and column (1-based) of an offset. */
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

  /** The location from `start` to `endInclusive` (offsets of the first and the last character). */
  loc(start: number, endInclusive: number): SourceLocation {
    const a = this.position(start);
    const b = this.position(Math.max(start, endInclusive));
    return { file: this.file, line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }
}

/**
 * A piece of text that a mini-language scanner reads (a target list, an operator, an action list), with the
 * means to locate any of its characters in the source file. Values lose escapes and continuations, so a
 * character's index in `text` is mapped back through `offsets` when the two differ.
 */
export interface Span {
  readonly text: string;
  /** Location of `text[from .. to)`; an empty range locates the position `from`. */
  loc(from: number, to: number): SourceLocation;
}

/**
 * A span over value characters. Character `i` sits at source offset `base + i` until the first removed
 * character (an escape's backslash, a continuation); each removal starts a new segment, recorded as a
 * breakpoint (value index, source offset), so the map costs one entry per removal rather than one per character.
 */
export class MappedSpan implements Span {
  constructor(
    readonly text: string,
    private readonly source: SourceText,
    private readonly base: number,
    /** Value index at which each segment after the first starts, ascending (equal entries allowed). */
    private readonly breakValue?: readonly number[],
    /** Source offset of the first character of each of those segments. */
    private readonly breakOffset?: readonly number[],
  ) {}

  private offsetOf(i: number): number {
    const k = Math.max(0, Math.min(i, this.text.length));
    const bv = this.breakValue;
    const bo = this.breakOffset;
    if (bv === undefined || bo === undefined || bv.length === 0 || k < (bv[0] as number)) return this.base + k;
    // The last breakpoint at or before k (the rightmost when several removals meet at one index).
    let lo = 0;
    let hi = bv.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((bv[mid] as number) <= k) lo = mid;
      else hi = mid - 1;
    }
    return (bo[lo] as number) + (k - (bv[lo] as number));
  }

  loc(from: number, to: number): SourceLocation {
    const start = this.offsetOf(from);
    const end = to > from ? this.offsetOf(to - 1) : start;
    return this.source.loc(start, end);
  }
}

/** A span for text that has no source file (API callers), located from a given start position. */
export class DetachedSpan implements Span {
  constructor(
    readonly text: string,
    private readonly file = '<input>',
    private readonly line = 1,
    private readonly column = 1,
  ) {}

  loc(from: number, to: number): SourceLocation {
    const end = Math.max(from, to - 1);
    return {
      file: this.file,
      line: this.line,
      column: this.column + from,
      endLine: this.line,
      endColumn: this.column + end,
    };
  }
}

/**
 * Extracts the value of a token image starting at `start` in `source`: removes continuations (`\` + newline,
 * joining the next line verbatim) and, for quoted text, the backslash of `\<quote>`. Other backslashes stay,
 * as ModSecurity keeps them (regexes need them); in quoted text a backslash pairs with the next character, so
 * `\\"` is `\\` then the closing quote, except that a backslash right before a line break always continues
 * the line. Returns a span that maps value characters back to source offsets.
 */
export function extractValue(source: SourceText, start: number, end: number, quote?: string): MappedSpan {
  const raw = source.text.slice(start, end);
  // Searching the slice, not the whole text from `start`, keeps this linear in the argument's length.
  let j = raw.indexOf('\\');
  if (j === -1) return new MappedSpan(raw, source, start);
  let value = '';
  let segment = 0;
  const breakValue: number[] = [];
  const breakOffset: number[] = [];
  const cut = (at: number, resume: number): void => {
    value += raw.slice(segment, at);
    breakValue.push(value.length);
    breakOffset.push(start + resume);
    segment = resume;
  };
  while (j !== -1) {
    const n = raw[j + 1];
    let next = j + 1;
    if (n === '\n') {
      cut(j, j + 2);
      next = j + 2;
    } else if (n === '\r' && raw[j + 2] === '\n') {
      cut(j, j + 3);
      next = j + 3;
    } else if (quote !== undefined && n !== undefined) {
      const continuesNext = n === '\\' && (raw[j + 2] === '\n' || (raw[j + 2] === '\r' && raw[j + 3] === '\n'));
      if (n === quote) {
        cut(j, j + 1);
        next = j + 2;
      } else if (!continuesNext) {
        next = j + 2;
      }
    }
    j = raw.indexOf('\\', next);
  }
  if (breakValue.length === 0) return new MappedSpan(raw, source, start);
  value += raw.slice(segment);
  return new MappedSpan(value, source, start, breakValue, breakOffset);
}

/** A span over part of another span: character `i` is the parent's `base + i`, or the parent's `indices[i]`. */
export class SubSpan implements Span {
  constructor(
    readonly text: string,
    private readonly parent: Span,
    private readonly base: number,
    /** Parent index of each character, plus one entry for the end. */
    private readonly indices?: readonly number[],
  ) {}

  private indexOf(i: number): number {
    const clamped = Math.max(0, Math.min(i, this.text.length));
    return this.indices === undefined ? this.base + clamped : (this.indices[clamped] as number);
  }

  loc(from: number, to: number): SourceLocation {
    if (to <= from) {
      const p = this.indexOf(from);
      return this.parent.loc(p, p);
    }
    const a = this.indexOf(from);
    const b = this.indexOf(to - 1);
    return this.parent.loc(a, b + 1);
  }
}

/** `span.text[from .. to)` as a span of its own. */
export function subSpan(span: Span, from: number, to = span.text.length): Span {
  return new SubSpan(span.text.slice(from, to), span, from);
}
