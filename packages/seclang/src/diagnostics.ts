import type { Diagnostic, Severity, SourceLocation } from './ast';

/**
 * The codes the parser reports (the linter adds its own on top). Stable: tools match on them.
 * - `syntax`: malformed target list, action list, ctl or operator text
 * - `unterminated-quote`, `broken-continuation` (`\` not directly followed by the line break)
 * - `comment-continuation` (warning): a comment ending in `\` swallows a line that is not a comment
 * - `arg-count`: wrong number of directive arguments; `bad-id`: not an id, `N-M` range or `ID:OFFSET`
 * - `unknown-directive` | `-operator` | `-action` | `-transformation` | `-variable` | `-ctl-option`
 * - `bad-selector`: empty, unterminated or malformed `:key`, `:'key'`, `:/regex/` or XPath selector
 * - `bad-setvar`: a setvar value that is not `[!]collection.name[=[+|-]value]`
 * - `dangling-chain`: `chain` on the last rule; `chain-too-long`: more than MAX_CHAIN_LENGTH rules in one chain
 * - `include-missing`, `include-cycle`, `include-depth`, `include-limit` (too many files in one parse),
 *   `file-unreadable` (an entry file of parseFile/parseFiles)
 * - `not-seclang`: a file read as SecLang whose first directive is not one ModSecurity knows (e.g. `Include
 *   /etc/shadow`): its own diagnostics are replaced by this one, which names the file without quoting it
 * - `too-many-diagnostics`: the cap below was reached; the message says how many were dropped
 * - `internal-error`: the parser failed (a bug, or an injected reader that threw); nothing was parsed
 */
export type ParseDiagnosticCode =
  | 'syntax'
  | 'unterminated-quote'
  | 'broken-continuation'
  | 'comment-continuation'
  | 'arg-count'
  | 'bad-id'
  | 'unknown-directive'
  | 'unknown-operator'
  | 'unknown-action'
  | 'unknown-transformation'
  | 'unknown-variable'
  | 'unknown-ctl-option'
  | 'bad-selector'
  | 'bad-setvar'
  | 'dangling-chain'
  | 'chain-too-long'
  | 'include-missing'
  | 'include-cycle'
  | 'include-depth'
  | 'include-limit'
  | 'file-unreadable'
  | 'not-seclang'
  | 'too-many-diagnostics'
  | 'internal-error';

/** Beyond this many diagnostics per parse only a count is kept, so hostile input cannot exhaust memory. */
export const MAX_DIAGNOSTICS = 1000;

/** Collects diagnostics for one parse, capped at MAX_DIAGNOSTICS with a final `too-many-diagnostics` entry. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  private dropped = 0;
  private lastLoc: SourceLocation | undefined;

  report(severity: Severity, code: ParseDiagnosticCode, message: string, loc: SourceLocation): void {
    if (this.list.length < MAX_DIAGNOSTICS) this.list.push({ severity, code, message, loc });
    else {
      this.dropped++;
      this.lastLoc = loc;
    }
  }

  /** A point to come back to with `rewind`. */
  mark(): { length: number; dropped: number } {
    return { length: this.list.length, dropped: this.dropped };
  }

  /** The diagnostics reported since `mark`. */
  since(mark: { length: number }): readonly Diagnostic[] {
    return this.list.slice(mark.length);
  }

  /** Forgets the diagnostics reported since `mark`. */
  rewind(mark: { length: number; dropped: number }): void {
    this.list.length = Math.min(this.list.length, mark.length);
    this.dropped = mark.dropped;
  }

  error(code: ParseDiagnosticCode, message: string, loc: SourceLocation): void {
    this.report('error', code, message, loc);
  }

  /** An error that libmodsecurity v3 loads anyway; `risk` says what loading it means (Diagnostic.modsecurityLoads). */
  errorModsecurityLoads(code: ParseDiagnosticCode, message: string, loc: SourceLocation, risk: string): void {
    this.report('error', code, message, loc);
    const last = this.list[this.list.length - 1];
    if (last !== undefined && last.loc === loc && last.code === code) last.modsecurityLoads = risk;
  }

  warning(code: ParseDiagnosticCode, message: string, loc: SourceLocation): void {
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
