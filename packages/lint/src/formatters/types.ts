import type { LintDiagnostic, Profile } from '../types';
import type { LintStats } from '../stats';

export interface FormatOptions {
  /** Paths under this directory are printed relative to it. */
  cwd: string;
  /** Include the statistics in the output. */
  stats?: LintStats;
  /** The profile the checks ran under (machine-readable formats record it). */
  profile?: Profile;
}

/** Turns diagnostics into the text written to standard output. */
export type Formatter = (diagnostics: readonly LintDiagnostic[], options: FormatOptions) => string;
