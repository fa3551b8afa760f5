import RE2 from 're2';
import { memoKey, type CompileMemo } from '../compile-memo/compile-memo';

/**
 * Whether RE2 compiles each pattern, learnt once per load. The `@rx` operators compile their patterns first;
 * the prefilter and the regex sets then ask about the same patterns, and recompiling a CRS pattern only to learn
 * that it compiles cost as much as the operators' own compiles (a sixth of CRS's load time).
 */
export class Re2Verdicts {
  private readonly known = new Map<string, boolean>();

  /** With a memo, what earlier loads learnt is known at once, and what this load learns is remembered. */
  constructor(private readonly memo?: CompileMemo) {}

  /** What compiling `source` (flags `s`, `m`; `g` changes nothing RE2 checks) gave. */
  record(source: string, compiles: boolean): void {
    this.known.set(source, compiles);
    this.memo?.rememberKey(MEMO_KIND, memoKey(source), () => ({ arrays: {}, numbers: { compiles: compiles ? 1 : 0 } }));
  }

  /** Whether RE2 compiles `source`, when this load or an earlier one (through the memo) learnt it; else undefined. */
  remembered(source: string): boolean | undefined {
    let answer = this.known.get(source);
    if (answer === undefined && this.memo !== undefined) {
      const entry = this.memo.lookup(MEMO_KIND, memoKey(source));
      if (entry !== undefined) {
        answer = entry.numbers.compiles === 1;
        this.known.set(source, answer);
      }
    }
    return answer;
  }

  /** Whether RE2 compiles `source` with flags `s` and `m`; compiled now when no one has yet. */
  compiles(source: string): boolean {
    let answer = this.remembered(source);
    if (answer === undefined) {
      answer = compilesUnderRe2(source);
      this.record(source, answer);
    }
    return answer;
  }
}

const MEMO_KIND = 're2/1';

export function compilesUnderRe2(source: string): boolean {
  try {
    new RE2(source, 'sm');
    return true;
  } catch {
    return false;
  }
}
