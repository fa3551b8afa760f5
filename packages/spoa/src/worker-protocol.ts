import type { MemoEntry } from '@rampart/engine';
import type { RulesProblem } from './compile-rules';
import type { RequestInput, ResponseInput } from './inspection-input';
import type { RulesConfig } from './rules-config';
import type { Verdict } from './verdict';

/** Something that went wrong outside an inspection, reported to the main thread (logs, metrics, health). */
export type AgentEvent = { kind: 'log-error'; message: string } | { kind: 'store-error'; code: string; message: string };

/** `workerData` of an inspection worker. */
export interface WorkerInit {
  rules: RulesConfig;
  /** Inspections that waited longer than this (ms) in the worker's queue are not run (0: no limit). */
  queueDeadlineMs: number;
  /** What an earlier compile built (SharedArrayBuffer views: the same memory in every worker). */
  memo?: MemoEntry[];
}

export type ToWorker =
  | { t: 'request'; n: number; sentAt: number; input: RequestInput }
  | { t: 'response'; n: number; sentAt: number; input: ResponseInput }
  | { t: 'close' };

export type FromWorker =
  | { t: 'ready'; ruleCount: number; warnings: RulesProblem[]; compileMs: number; memo: MemoEntry[]; memoBuilt: number }
  | { t: 'failed'; problems: RulesProblem[] }
  | { t: 'verdict'; n: number; verdict: Verdict }
  | { t: 'late-log'; lines: string[] }
  | { t: 'late-trace'; record: string }
  | { t: 'event'; event: AgentEvent }
  | { t: 'closed' };

/** Structured clone turns a Buffer into a plain Uint8Array: make it a Buffer view again (no copy). */
export function asBuffer(u: Uint8Array | undefined): Buffer | undefined {
  if (u === undefined) return undefined;
  return Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength);
}
