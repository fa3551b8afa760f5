/**
 * Regular expressions for operators (`@rx`, `@rxGlobal`, `@verifyCC`...): RE2 first (linear time, byte
 * semantics on latin1 strings, flags `s` + `m` like ModSecurity v3's PCRE DOTALL|MULTILINE). A pattern RE2
 * cannot compile (lookarounds, backreferences, possessive quantifiers, atomic groups) runs on the backtracking
 * engine of regex/ (PCRE syntax, a time limit per match), with a load-time warning naming the construct; when
 * `allowBacktrackingRegex` is false that is an error instead.
 */
import RE2 from 're2';
import {
  BacktrackingCompileError,
  type BacktrackingRegex,
  compileBacktracking,
  DEFAULT_BACKTRACKING_BUDGET_MS,
  DEFAULT_BACKTRACKING_LIMIT_MS,
} from '../regex/backtracking-regex';
import { OperatorCompileError } from './errors';
import type { OperatorCompileContext, OperatorRunContext } from './types';

export interface CompiledRegex {
  /** The leftmost match starting at or after `from` (default 0), or null. Never throws. */
  exec(input: string, from?: number): RegExpExecArray | null;
  /** Whether the pattern matches anywhere in `input` (no group extraction). Never throws. */
  test(input: string): boolean;
  /**
   * Visits every non-overlapping match from the start, in order, in one pass over the input (RE2 converts
   * the subject once instead of once per `exec`); stops reporting once `visit` returns true. Never throws.
   */
  scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void;
  /**
   * `[start, length, ...]` of every group (0: the whole match) that took part in the leftmost match starting
   * at or after `from`, in group order, or null: the offsets ModSecurity v3 logs for a match. An index-reporting
   * copy of the pattern is compiled on first use, so only values that are located pay for it. Never throws.
   */
  spans(input: string, from?: number): number[] | null;
  /** Which engine runs the pattern. */
  readonly engine: 're2' | 'backtracking';
  /** Backtracking engine only: the last call stopped at the time limit and answered "no match". */
  readonly limitExceeded?: boolean;
}

type RegexContext = Pick<OperatorCompileContext, 'warn' | 'options'>;

/** The time budget that `@rx`/`@rxGlobal` matches on the backtracking engine share within a transaction. */
export function backtrackingBudgetMs(ctx: Pick<OperatorCompileContext, 'options'>): number {
  return ctx.options.backtrackingBudgetMs ?? DEFAULT_BACKTRACKING_BUDGET_MS;
}

/**
 * Runs one match on the backtracking engine under the transaction's budget: once the transaction's matches on
 * that engine have taken `budgetMs` in all, further ones answer "no match" at once and flag
 * MSC_PCRE_LIMITS_EXCEEDED, as a match stopped at its own limit does. Without it, a request of many crafted
 * values would cost the per-match limit once per value. RE2 patterns never come here.
 */
export function matchWithinBudget(run: OperatorRunContext, budgetMs: number, match: () => boolean): boolean {
  const spent = run.backtrackingMs ?? 0;
  if (spent >= budgetMs) {
    run.regexLimitExceeded?.();
    return false;
  }
  const started = performance.now();
  try {
    return match();
  } finally {
    run.backtrackingMs = spent + (performance.now() - started);
  }
}

/**
 * Compiles `pattern` for `operatorName` (used in messages, e.g. `@rx`). Throws OperatorCompileError when
 * neither engine can take the pattern, or when only the backtracking engine can and it is not allowed.
 */
export function compileRegex(pattern: string, operatorName: string, ctx: RegexContext): CompiledRegex {
  let re2Error: string;
  const source = withPcreSpaces(pattern);
  if (ctx.options.re2Verdicts?.remembered(source) === true) {
    // Known to compile (an earlier load of the same pattern, through the compile memo): compiled on first use, so
    // a load does not pay for the many patterns that the prefilter or a regex set answers for most values.
    const lazy = lazyRe2(source, pattern, ctx.options.backtrackingLimitMs);
    const first = directMatch(pattern);
    return first === undefined ? lazy : answeredDirectly(lazy, first);
  }
  try {
    const compiled = wrap(new RE2(source, 'gsm'), 're2');
    ctx.options.re2Verdicts?.record(source, true);
    const first = directMatch(pattern);
    return first === undefined ? compiled : answeredDirectly(compiled, first);
  } catch (e) {
    re2Error = e instanceof Error ? e.message : String(e);
    ctx.options.re2Verdicts?.record(source, false);
  }
  const constructs = describePcreOnlyConstructs(pattern);
  const why = constructs.length > 0 ? constructs.join(', ') : `RE2 error: ${re2Error}`;
  if (!ctx.options.allowBacktrackingRegex) {
    throw new OperatorCompileError(
      'bad-argument',
      `${operatorName}: RE2 cannot compile this pattern (${why}) and the backtracking regex fallback is disabled`,
    );
  }
  let compiled: BacktrackingRegex;
  try {
    compiled = compileBacktracking(pattern, ctx.options.backtrackingLimitMs !== undefined ? { limitMs: ctx.options.backtrackingLimitMs } : {});
  } catch (e) {
    if (!(e instanceof BacktrackingCompileError)) throw e;
    throw new OperatorCompileError(
      'bad-argument',
      `${operatorName}: invalid regular expression: RE2 cannot compile it (${re2Error}) and neither can the backtracking engine (${e.message})`,
    );
  }
  const limit = ctx.options.backtrackingLimitMs ?? DEFAULT_BACKTRACKING_LIMIT_MS;
  ctx.warn(
    `${operatorName}: RE2 cannot compile this pattern (${why}); it runs on the backtracking engine, each match ` +
      `stopped after ${limit} ms (then no match and MSC_PCRE_LIMITS_EXCEEDED=1, as a PCRE match limit)` +
      (compiled.screened ? '' : ', on every value (no RE2 pre-screen possible)'),
  );
  return wholeMatchSpans(compiled);
}

/** The backtracking engine reports the groups' text, not where they are: its spans are the whole match only. */
function wholeMatchSpans(re: BacktrackingRegex): CompiledRegex {
  return Object.assign(re, {
    spans(input: string, from = 0): number[] | null {
      const m = re.exec(input, from);
      return m === null ? null : [m.index, (m[0] ?? '').length];
    },
  });
}

/** A pattern known to compile under RE2, compiled on its first use. */
function lazyRe2(source: string, pattern: string, limitMs: number | undefined): CompiledRegex {
  let inner: CompiledRegex | undefined;
  const get = (): CompiledRegex => {
    if (inner === undefined) {
      try {
        inner = wrap(new RE2(source, 'gsm'), 're2');
      } catch {
        // Not reached: the memo that said it compiles was written by this build with this re2. Should it be, the
        // pattern still runs, on the engine that takes what RE2 refuses.
        inner = wholeMatchSpans(compileBacktracking(pattern, limitMs !== undefined ? { limitMs } : {}));
      }
    }
    return inner;
  };
  return {
    engine: 're2',
    exec: (input, from) => get().exec(input, from),
    test: (input) => get().test(input),
    scan: (input, visit) => get().scan(input, visit),
    spans: (input, from) => get().spans(input, from),
  };
}

/** Compiles with RE2 only, returning undefined on failure (run-time patterns built from macros). */
export function tryCompileRe2(pattern: string): CompiledRegex | undefined {
  try {
    return wrap(new RE2(withPcreSpaces(pattern), 'gsm'), 're2');
  } catch {
    return undefined;
  }
}

/**
 * PCRE (8.34+, and PCRE2) counts VT (0x0B) as `\s`; RE2 does not. Rewrites `\s` to include it, and `\S`
 * outside character classes to exclude it. (`\S` inside a class keeps RE2's meaning: a rare pattern.)
 */
export function withPcreSpaces(pattern: string): string {
  if (!/\\[sS]/.test(pattern)) return pattern;
  // Copies the pattern in slices between rewrites: CRS patterns run to kilobytes, and a string grown one
  // character at a time made megabytes of garbage per load.
  let out = '';
  let copied = 0;
  const rewrite = (at: number, replacement: string): void => {
    out += pattern.slice(copied, at) + replacement;
    copied = at + 2;
  };
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    if (c === 0x5c /* \ */) {
      const n = pattern[i + 1];
      if (n === 'Q') {
        // \Q...\E is literal text: copied untouched.
        const end = pattern.indexOf('\\E', i + 2);
        i = (end < 0 ? pattern.length : end + 2) - 1;
      } else if (n === 's') {
        rewrite(i, inClass ? '\\s\\x0b' : '[\\s\\x0b]');
        i++;
      } else if (n === 'S' && !inClass) {
        rewrite(i, '[^\\s\\x0b]');
        i++;
      } else {
        i++;
      }
      continue;
    }
    if (inClass) {
      if (c === 0x5b /* [ */ && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) {
          i = end + 1;
          continue;
        }
      }
      if (c === 0x5d /* ] */) inClass = false;
      continue;
    }
    if (c === 0x5b /* [ */) {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member, not the end of the class.
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
    }
  }
  return out + pattern.slice(copied);
}

/** `^.*$`, `.*`, `^.*`, `.*$`: under DOTALL these match every input, whole, from its start, with no group. */
const MATCHES_WHOLE_INPUT = /^\^?\.\*\$?$/;

/**
 * For a pattern whose first match needs no regex engine, that match (null: none); undefined for the others.
 * `^.*$` and its kin match every input whole (CRS 920450 captures each header name with it); `.` matches the
 * first character of any non-empty input (CRS 921170 on argument names).
 */
function directMatch(pattern: string): ((input: string) => string | null) | undefined {
  if (MATCHES_WHOLE_INPUT.test(pattern)) return (input) => input;
  if (pattern === '.') return (input) => (input.length > 0 ? input[0]! : null);
  return undefined;
}

/** Whether compileRegex answers the pattern without RE2 (a regex set would only add work for it). */
export function answeredWithoutRe2(pattern: string): boolean {
  return directMatch(pattern) !== undefined;
}

/**
 * test() and a match from the start answered by `first`, without RE2, whose call costs microseconds through
 * the binding; later matches of a global scan are left to RE2.
 */
function answeredDirectly(re2: CompiledRegex, first: (input: string) => string | null): CompiledRegex {
  return {
    engine: re2.engine,
    test: (input) => first(input) !== null,
    exec(input, from = 0) {
      if (from !== 0) return re2.exec(input, from);
      const match = first(input);
      return match === null ? null : (Object.assign([match], { index: 0, input }) as unknown as RegExpExecArray);
    },
    scan: (input, visit) => re2.scan(input, visit),
    spans(input, from = 0) {
      if (from !== 0) return re2.spans(input, from);
      const match = first(input);
      return match === null ? null : [0, match.length];
    },
  };
}

/** The spans of the groups that took part in a match made with the `d` flag. */
function groupSpans(match: RegExpExecArray): number[] {
  const out: number[] = [];
  const indices = match.indices;
  if (indices === undefined) return [match.index, (match[0] ?? '').length];
  for (const span of indices) if (span !== undefined) out.push(span[0], span[1] - span[0]);
  return out;
}

function wrap(re: RegExp, engine: 're2' | 'backtracking'): CompiledRegex {
  let withIndices: RegExp | undefined;
  return {
    engine,
    spans(input: string, from = 0): number[] | null {
      if (from > input.length) return null;
      try {
        withIndices ??= engine === 're2' ? new RE2(re as RE2, `${re.flags}d`) : new RegExp(re.source, `${re.flags}d`);
        withIndices.lastIndex = from;
        const m = withIndices.exec(input);
        return m === null ? null : groupSpans(m);
      } catch {
        return null;
      }
    },
    exec(input: string, from = 0): RegExpExecArray | null {
      if (from > input.length) return null;
      re.lastIndex = from;
      try {
        return re.exec(input);
      } catch {
        // A backtracking engine can fail on stack exhaustion; the matcher must not throw.
        return null;
      }
    },
    test(input: string): boolean {
      re.lastIndex = 0;
      try {
        return re.test(input);
      } catch {
        return false;
      }
    },
    scan(input: string, visit: (match: RegExpExecArray) => boolean | void): void {
      let done = false;
      try {
        input.replace(re, (...args: unknown[]) => {
          if (done) return '';
          // replace() passes (match, ...groups, offset, input[, namedGroups]).
          const named = typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null;
          const offsetAt = args.length - (named ? 3 : 2);
          const groups = args.slice(0, offsetAt).map((g) => (typeof g === 'string' ? g : undefined));
          const match = Object.assign(groups, { index: args[offsetAt] as number, input }) as unknown as RegExpExecArray;
          if (visit(match) === true) done = true;
          return '';
        });
      } catch {
        // A backtracking engine can fail on stack exhaustion; the matcher must not throw.
      }
    },
  };
}

/** Names the PCRE features RE2 does not have, for messages. */
export function describePcreOnlyConstructs(pattern: string): string[] {
  const found = new Set<string>();
  if (/\(\?(?:=|!)/.test(pattern)) found.add('lookahead');
  if (/\(\?<(?:=|!)/.test(pattern)) found.add('lookbehind');
  if (/\\[1-9]|\\k[<{']|\(\?P=/.test(pattern)) found.add('backreference');
  if (/\(\?>/.test(pattern)) found.add('atomic group');
  if (/(?:[*+?}])\+/.test(pattern.replace(/\\./g, ''))) found.add('possessive quantifier');
  if (/\(\?\(/.test(pattern)) found.add('conditional group');
  if (/\(\?(?:R|[0-9]|[+-][0-9]|&)/.test(pattern)) found.add('recursion');
  if (/\\[GKR]/.test(pattern)) found.add('\\G, \\K or \\R escape');
  return [...found];
}
