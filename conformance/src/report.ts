export type TestResult = 'passed' | 'failed' | 'ignored' | 'forced-pass' | 'forced-fail' | 'error';

export interface StageReport {
  readonly index: number;
  readonly pass: boolean;
  readonly reasons: readonly string[];
  readonly status?: number;
  readonly triggeredIds: readonly number[];
  /** What the front end did when it answered by itself or gave no response. */
  readonly frontEnd?: string;
  readonly retried?: boolean;
}

export interface TestReport {
  readonly id: string;
  readonly file: string;
  readonly result: TestResult;
  /** Why it failed, was ignored or forced; empty for a plain pass. */
  readonly reasons: readonly string[];
  /** Of the last stage, which decides the result (go-ftw semantics). */
  readonly triggeredIds: readonly number[];
  readonly status?: number;
  readonly stages: readonly StageReport[];
  readonly overridden?: readonly string[];
}

export interface Totals {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly ignored: number;
  readonly forcedPass: number;
  readonly forcedFail: number;
  readonly errors: number;
}

export interface Report {
  readonly mode: 'in-process' | 'http';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: Totals;
  readonly tests: readonly TestReport[];
}

/** Passed counts forced passes; failed counts forced failures and harness errors; ignored tests count in neither. */
export function summarize(tests: readonly TestReport[]): Totals {
  const count = (r: TestResult): number => tests.filter((t) => t.result === r).length;
  return {
    total: tests.length,
    passed: count('passed') + count('forced-pass'),
    failed: count('failed') + count('forced-fail') + count('error'),
    ignored: count('ignored'),
    forcedPass: count('forced-pass'),
    forcedFail: count('forced-fail'),
    errors: count('error'),
  };
}

export function summaryLine(totals: Totals): string {
  return `${totals.passed} passed, ${totals.failed} failed`;
}
