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

/** A span over value characters whose source offsets are `base + i`, or `offsets[i]` when given. */
export class MappedSpan implements Span {
  constructor(
    readonly text: string,
    private readonly source: SourceText,
    private readonly base: number,
    /** Source offset of each value character, plus one entry for the end. */
    private readonly offsets?: Int32Array,
  ) {}

  private offsetOf(i: number): number {
    const clamped = Math.max(0, Math.min(i, this.text.length));
    return this.offsets === undefined ? this.base + clamped : (this.offsets[clamped] as number);
  }

  loc(from: number, to: number): SourceLocation {
    const start = this.offsetOf(from);
    const end = to > from ? this.offsetOf(to - 1) : start;
    return this.source.loc(start, end);
  }

  /** The span of `text[from ..)`, for a scanner that hands part of its input to another scanner. */
  slice(from: number, to = this.text.length): MappedSpan {
    const text = this.text.slice(from, to);
    if (this.offsets === undefined) return new MappedSpan(text, this.source, this.base + from);
    return new MappedSpan(text, this.source, 0, this.offsets.subarray(from, to + 1));
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
 * as ModSecurity keeps them (regexes need them). Returns a span that maps value characters to source offsets.
 */
export function extractValue(source: SourceText, start: number, end: number, quote?: string): MappedSpan {
  const text = source.text;
  const raw = text.slice(start, end);
  // Searching the slice, not `text` from `start`, keeps this linear in the argument's length.
  if (!raw.includes('\\')) return new MappedSpan(raw, source, start);
  let value = '';
  const offsets: number[] = [];
  let i = start;
  while (i < end) {
    const c = text[i] as string;
    if (c === '\\' && i + 1 < end) {
      const n = text[i + 1];
      if (n === '\n') {
        i += 2;
        continue;
      }
      if (n === '\r' && text[i + 2] === '\n' && i + 2 < end) {
        i += 3;
        continue;
      }
      const continuesNext = n === '\\' && (text[i + 2] === '\n' || (text[i + 2] === '\r' && text[i + 3] === '\n'));
      if (quote !== undefined && !continuesNext) {
        if (n === quote) {
          value += n;
          offsets.push(i + 1);
        } else {
          // A backslash pairs with the next character (so `\\"` is `\\` then the closing quote).
          value += c + n;
          offsets.push(i, i + 1);
        }
        i += 2;
        continue;
      }
    }
    value += c;
    offsets.push(i);
    i++;
  }
  offsets.push(end);
  if (value.length === end - start) return new MappedSpan(value, source, start);
  return new MappedSpan(value, source, 0, Int32Array.from(offsets));
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
