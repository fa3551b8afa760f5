import type { SourceFile } from './source';
import type { LintDiagnostic, TextEdit } from './types';

export interface FixOutput {
  /** The new text of each file some fix changed. */
  files: Map<string, string>;
  /** Diagnostics whose fix was applied. */
  applied: number;
  /** Fixes left out because they overlap one applied first (a second pass picks them up). */
  skipped: number;
}

/**
 * Applies the fixes of `diagnostics` to the texts of `sources`. Fixes are taken in the order of the
 * diagnostics; one whose edits overlap the edits of a fix already taken waits for the next pass (lint the
 * fixed text again and apply again: `--fix` loops until nothing changes).
 */
export function applyFixes(diagnostics: readonly LintDiagnostic[], sources: ReadonlyMap<string, SourceFile>): FixOutput {
  const byFile = new Map<string, TextEdit[]>();
  let applied = 0;
  let skipped = 0;
  for (const d of diagnostics) {
    const fix = d.fix;
    if (fix === undefined || !sources.has(fix.file)) continue;
    const taken = byFile.get(fix.file) ?? [];
    const overlaps = fix.edits.some((e) => taken.some((t) => e.start < t.end && t.start < e.end || (e.start === e.end && e.start === t.start)));
    if (overlaps) {
      skipped++;
      continue;
    }
    taken.push(...fix.edits);
    byFile.set(fix.file, taken);
    applied++;
  }
  const files = new Map<string, string>();
  for (const [file, edits] of byFile) {
    const text = (sources.get(file) as SourceFile).text;
    let out = '';
    let at = 0;
    for (const e of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
      out += text.slice(at, e.start) + e.text;
      at = e.end;
    }
    out += text.slice(at);
    if (out !== text) files.set(file, out);
  }
  return { files, applied, skipped };
}

/** At most this many lint-and-fix passes: fixes that overlap need a pass each; more means fixes that fight. */
export const MAX_FIX_PASSES = 10;

export interface FixLoopResult<R> {
  /** The last lint, after the last fixes. */
  result: R;
  /** Files that changed, with their final text. */
  changed: Map<string, string>;
  passes: number;
}

/**
 * Lints, applies the fixes, lints the fixed text again, and so on until no fix is left (or MAX_FIX_PASSES).
 * `lintOnce` lints the current texts; `write` stores a fixed text (to disk for the CLI, in memory for tests).
 */
export function fixUntilStable<R extends { diagnostics: readonly LintDiagnostic[]; sources: ReadonlyMap<string, SourceFile> }>(
  lintOnce: () => R,
  write: (file: string, text: string) => void,
): FixLoopResult<R> {
  const changed = new Map<string, string>();
  let result = lintOnce();
  let passes = 0;
  while (passes < MAX_FIX_PASSES) {
    const out = applyFixes(result.diagnostics, result.sources);
    if (out.files.size === 0) break;
    for (const [file, text] of out.files) {
      write(file, text);
      changed.set(file, text);
    }
    passes++;
    result = lintOnce();
  }
  return { result, changed, passes };
}
