import RE2 from 're2';

/**
 * Whether RE2 compiles each pattern, learnt once per load. The `@rx` operators compile their patterns first;
 * the prefilter and the regex sets then ask about the same patterns, and recompiling a CRS pattern only to learn
 * that it compiles cost as much as the operators' own compiles (a sixth of CRS's load time).
 */
export class Re2Verdicts {
  private readonly known = new Map<string, boolean>();

  /** What compiling `source` (flags `s`, `m`; `g` changes nothing RE2 checks) gave. */
  record(source: string, compiles: boolean): void {
    this.known.set(source, compiles);
  }

  /** Whether RE2 compiles `source` with flags `s` and `m`; compiled now when no one has yet. */
  compiles(source: string): boolean {
    let answer = this.known.get(source);
    if (answer === undefined) {
      answer = compilesUnderRe2(source);
      this.known.set(source, answer);
    }
    return answer;
  }
}

export function compilesUnderRe2(source: string): boolean {
  try {
    new RE2(source, 'sm');
    return true;
  } catch {
    return false;
  }
}
