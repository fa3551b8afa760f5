/**
 * The engine for PCRE patterns that RE2 cannot compile (CRS 3.3's possessive quantifiers, backreferences,
 * lookarounds, `(?i:...)` beside them; users' own rules). Three steps, each with its reason:
 *
 * 1. pcre-transcription.ts spells the pattern in Oniguruma syntax, reading it as libmodsecurity's PCRE does.
 * 2. oniguruma-to-es (a maintained translator, tested on tens of thousands of TextMate patterns) turns that into
 *    a native RegExp, emulating atomic groups, possessive quantifiers, flag groups, `\Z` and subroutines. It was
 *    chosen over vscode-oniguruma (Oniguruma itself in WebAssembly): that one reads Oniguruma's Ruby syntax too,
 *    converts every value to UTF-8, and cannot be given a match limit from JavaScript, so it would bring neither
 *    PCRE's syntax nor a bound on time.
 * 3. Matches run on a helper thread with a time limit (bounded-runner.ts), the counterpart of SecPcreMatchLimit:
 *    a match that runs past it answers "no match" and the caller flags it (MSC_PCRE_LIMITS_EXCEEDED), as
 *    libmodsecurity does when PCRE reports PCRE_ERROR_MATCHLIMIT. Values are first screened by an RE2 pattern
 *    that matches a superset of what the PCRE pattern matches, so most values never cross threads.
 */
import RE2 from 're2';
import { EmulatedRegExp, toRegExpDetails } from 'oniguruma-to-es';
import { type BoundedMatch, type BoundedRegexRunner, sharedRunner } from './bounded-runner';
import { PcreSyntaxError, transcribePcre } from './pcre-transcription';

/** Default time limit of one backtracking match, in milliseconds. */
export const DEFAULT_BACKTRACKING_LIMIT_MS = 100;

/** Default time all of one transaction's matches may spend on the backtracking engine, in milliseconds. */
export const DEFAULT_BACKTRACKING_BUDGET_MS = 500;

/** At most this many matches are collected by one scan (`@rxGlobal`, `@verifyCC`...). */
const MAX_SCAN_MATCHES = 10_000;

export interface BacktrackingRegex {
  exec(input: string, from?: number): RegExpExecArray | null;
  test(input: string): boolean;
  scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void;
  readonly engine: 'backtracking';
  /** True when the last call stopped at the time limit (it then answered "no match"). */
  readonly limitExceeded: boolean;
  /** The PCRE constructs that made RE2 refuse the pattern, for messages. */
  readonly constructs: readonly string[];
  /** Whether values are screened with RE2 before the backtracking engine runs. */
  readonly screened: boolean;
}

export interface BacktrackingOptions {
  readonly limitMs?: number;
  readonly runner?: BoundedRegexRunner;
}

/** Thrown when the pattern cannot run on the backtracking engine either; the message names why. */
export class BacktrackingCompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BacktrackingCompileError';
  }
}

function toExecArray(m: BoundedMatch, input: string): RegExpExecArray {
  return Object.assign([...m.groups], { index: m.index, input }) as unknown as RegExpExecArray;
}

/** Compiles `pattern` (PCRE syntax) for the backtracking engine; throws BacktrackingCompileError. */
export function compileBacktracking(pattern: string, options: BacktrackingOptions = {}): BacktrackingRegex {
  let transcribed: ReturnType<typeof transcribePcre>;
  try {
    transcribed = transcribePcre(pattern);
  } catch (e) {
    if (e instanceof PcreSyntaxError) throw new BacktrackingCompileError(e.message);
    throw e;
  }
  let details: { pattern: string; flags: string; options?: object };
  try {
    details = toRegExpDetails(transcribed.oniguruma, {
      // Oniguruma's m is dot-matches-newline (PCRE's DOTALL, which ModSecurity sets).
      flags: 'm',
      global: true,
      target: 'ES2024',
      rules: { captureGroup: true, asciiWordBoundaries: true },
    });
    // Build it once here so that a pattern the engine cannot run fails at load time, not on the helper thread.
    new EmulatedRegExp(details.pattern, details.flags, details.options);
  } catch (e) {
    throw new BacktrackingCompileError(e instanceof Error ? e.message : String(e));
  }
  let screen: RE2 | undefined;
  if (transcribed.re2Superset !== undefined) {
    try {
      screen = new RE2(transcribed.re2Superset, 'sm');
    } catch {
      screen = undefined;
    }
  }
  const runner = options.runner ?? sharedRunner();
  const id = runner.register(details);
  const limitMs = options.limitMs ?? DEFAULT_BACKTRACKING_LIMIT_MS;
  const screenRejects = (input: string): boolean => {
    if (screen === undefined) return false;
    screen.lastIndex = 0;
    return !screen.test(input);
  };
  const self = {
    engine: 'backtracking' as const,
    limitExceeded: false,
    constructs: transcribed.constructs,
    screened: screen !== undefined,
    exec(input: string, from = 0): RegExpExecArray | null {
      self.limitExceeded = false;
      if (from > input.length || screenRejects(input)) return null;
      const r = runner.exec(id, input, from, limitMs);
      if (r.kind === 'limit') self.limitExceeded = true;
      return r.kind === 'done' && r.value !== null ? toExecArray(r.value, input) : null;
    },
    test(input: string): boolean {
      return self.exec(input, 0) !== null;
    },
    scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void {
      self.limitExceeded = false;
      if (screenRejects(input)) return;
      const r = runner.scan(id, input, MAX_SCAN_MATCHES, limitMs);
      if (r.kind === 'limit') self.limitExceeded = true;
      if (r.kind !== 'done') return;
      for (const m of r.value) if (visit(toExecArray(m, input)) === true) return;
    },
  };
  return self;
}
