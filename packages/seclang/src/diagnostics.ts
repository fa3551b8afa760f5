import type { Diagnostic, Severity, SourceLocation } from './ast';

/** Beyond this many diagnostics per parse only a count is kept, so hostile input cannot exhaust memory. */
export const MAX_DIAGNOSTICS = 1000;

/** Collects diagnostics for one parse, capped at MAX_DIAGNOSTICS with a final `too-many-diagnostics` entry. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  private dropped = 0;
  private lastLoc: SourceLocation | undefined;

  report(severity: Severity, code: string, message: string, loc: SourceLocation): void {
    if (this.list.length < MAX_DIAGNOSTICS) this.list.push({ severity, code, message, loc });
    else {
      this.dropped++;
      this.lastLoc = loc;
    }
  }

  error(code: string, message: string, loc: SourceLocation): void {
    this.report('error', code, message, loc);
  }

  warning(code: string, message: string, loc: SourceLocation): void {
    this.report('warning', code, message, loc);
  }

  /** The diagnostics, with a summary of the dropped ones at the end. */
  finish(): Diagnostic[] {
    if (this.dropped > 0 && this.lastLoc !== undefined) {
      this.list.push({
        severity: 'error',
        code: 'too-many-diagnostics',
        message: `${this.dropped} more diagnostics were not reported (limit ${MAX_DIAGNOSTICS})`,
        loc: this.lastLoc,
      });
      this.dropped = 0;
    }
    return this.list;
  }
}

/** Quotes user text in a message, shortened so that a hostile megabyte-long name makes a short message. */
export function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max)}...`;
}
