import * as path from 'node:path';
import * as v8 from 'node:v8';
import { Worker } from 'node:worker_threads';
import type { MemoEntry } from '@rampart/engine';
import { AgentErrorCode } from './agent-error';
import { RulesLoadError, type RulesProblem } from './compile-rules';
import type { RequestInput, ResponseInput } from './inspection-input';
import type { Inspector } from './rules-runner';
import type { RulesConfig } from './rules-config';
import { runningFromSources, sourceLoaderPrelude } from './source-loader';
import { errorVerdict, type Verdict } from './verdict';
import type { AgentEvent, FromWorker, ToWorker, WorkerInit } from './worker-protocol';

export interface WorkerPoolOptions {
  rules: RulesConfig;
  workers: number;
  /** Inspections that waited in a worker's queue longer than this (ms) are answered with error 1006 (0: never). */
  queueDeadlineMs?: number;
  /** Inspections queued or running over the whole pool before new ones get the Overloaded error. */
  maxPending?: number;
  /** Lines of transactions logged outside a verdict (expired while waiting for their response). */
  lateLog?: (lines: string[]) => void;
  /** Explain records of traced transactions that ended outside a verdict (expired while waiting for their response). */
  lateTrace?: (record: string) => void;
  /** A worker died unexpectedly (it is replaced). */
  onWorkerError?: (message: string) => void;
  /** Log write failures and collection store problems in a worker. */
  onEvent?: (event: AgentEvent) => void;
  /** A compile memo's entries (a memo file's, a previous load's) for the first worker to take what it can from. */
  memo?: MemoEntry[];
}

interface Slot {
  worker: Worker;
  pending: Map<number, (v: Verdict) => void>;
  ready: boolean;
  exited: boolean;
}

/**
 * The young generation of each worker's heap, fixed (MB per semi-space). A transaction keeps what rules
 * learned about its values until it ends: with V8's default, growing semi-space, a 10 KB JSON body's records
 * were promoted to the old generation and some runs fell into a mark-compact every ~20 requests (json-570:
 * 6 -> 11 ms CPU per request, GC 0.6 -> 7 ms). V8 reads these flags when it creates an isolate, so they
 * apply to the workers spawned after them (and to nothing already running).
 */
const SEMI_SPACE_MB = 32;

function configureWorkerHeaps(): void {
  v8.setFlagsFromString(`--min-semi-space-size=${SEMI_SPACE_MB}`);
  v8.setFlagsFromString(`--max-semi-space-size=${SEMI_SPACE_MB}`);
}

function spawnWorker(init: WorkerInit): Worker {
  configureWorkerHeaps();
  if (runningFromSources()) {
    const entry = path.join(__dirname, 'worker-entry.ts');
    return new Worker(`${sourceLoaderPrelude()}\nrequire(${JSON.stringify(entry)});`, { eval: true, workerData: init });
  }
  return new Worker(path.join(__dirname, 'worker-entry.js'), { workerData: init });
}

/** FNV-1a: the worker that holds a transaction must be found again from its id alone. */
function hashId(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * Worker threads, each compiling its own WAF; the main thread keeps the SPOP sockets and posts work. The first
 * worker compiles alone, through a shared compile memo; the others start once it is ready, from what it built
 * (the prefilter, the phrase automata: SharedArrayBuffers, one copy for all; whether RE2 takes each pattern,
 * so that they compile patterns on first use), and so take a fraction of its time and memory. With
 * response checking on, a transaction's request and response go to the same worker (chosen by id hash);
 * otherwise to the least busy one. `ready` resolves once every worker compiled, or rejects with every
 * problem (RulesLoadError). A worker that dies is replaced and its inspections answered with an error.
 */
export class WorkerPool implements Inspector {
  readonly ready: Promise<void>;
  ruleCount = 0;
  warnings: RulesProblem[] = [];
  compileMs = 0;
  /** The compile memo entries the workers run with (the first worker's), once ready. */
  memoEntries: MemoEntry[] = [];
  /** Structures the first worker had to build (0: the memo it was given had them all). */
  memoBuilt = 0;
  /** Structures each worker built when it started (the first's own work; the others' should be 0). */
  readonly memoBuiltByWorker: number[] = [];
  private readonly slots: Slot[] = [];
  private readonly byHash: boolean;
  private readonly maxPending: number;
  private nextN = 1;
  private everReady = false;
  private inFlight = 0;
  private closing = false;
  private idleWaiters: Array<() => void> = [];
  /** Moving average of the engine time per inspection: estimates how long a queue takes to drain. */
  private serviceMs = 0;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new RangeError(`workers must be >= 1, got ${options.workers}`);
    this.byHash = options.rules.apps.some((a) => a.responseCheck);
    this.maxPending = options.maxPending ?? 10_000;
    this.memoEntries = options.memo ?? [];
    this.ready = this.start(0)
      .then(() => {
        if (this.closing) throw new Error('the inspection workers were stopped while the rules loaded');
        return Promise.all(Array.from({ length: options.workers - 1 }, (_, i) => this.start(i + 1)));
      })
      .then(
        () => undefined,
        async (e: unknown) => {
          await this.terminateAll();
          throw e;
        },
      );
    this.ready.catch(() => undefined);
  }

  get pending(): number {
    return this.inFlight;
  }

  private start(index: number): Promise<void> {
    const worker = spawnWorker({ rules: this.options.rules, queueDeadlineMs: this.options.queueDeadlineMs ?? 0, memo: this.memoEntries });
    const slot: Slot = { worker, pending: new Map(), ready: false, exited: false };
    this.slots[index] = slot;
    return new Promise<void>((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.t) {
          case 'ready':
            slot.ready = true;
            this.ruleCount = m.ruleCount;
            this.warnings = m.warnings;
            this.compileMs = Math.max(this.compileMs, m.compileMs);
            this.memoBuiltByWorker[index] = m.memoBuilt;
            if (index === 0 && !this.everReady) {
              this.memoEntries = m.memo;
              this.memoBuilt = m.memoBuilt;
            }
            this.everReady = true;
            resolve();
            break;
          case 'failed':
            reject(new RulesLoadError(m.problems));
            break;
          case 'verdict': {
            const done = slot.pending.get(m.n);
            if (m.verdict.error === undefined) this.serviceMs = this.serviceMs === 0 ? m.verdict.engineMs : this.serviceMs * 0.95 + m.verdict.engineMs * 0.05;
            if (done) {
              slot.pending.delete(m.n);
              done(m.verdict);
            }
            break;
          }
          case 'late-log':
            this.options.lateLog?.(m.lines);
            break;
          case 'late-trace':
            this.options.lateTrace?.(m.record);
            break;
          case 'event':
            this.options.onEvent?.(m.event);
            break;
          case 'closed':
            break;
        }
      });
      worker.on('error', (err) => {
        if (!slot.ready) reject(err);
        else this.options.onWorkerError?.(`inspection worker ${index} failed: ${err.message}`);
      });
      worker.on('exit', (code) => {
        slot.exited = true;
        if (!slot.ready) {
          reject(new Error(`inspection worker ${index} exited with code ${code} before it was ready`));
          return;
        }
        this.failPending(slot, `inspection worker ${index} exited (code ${code})`);
        if (!this.closing && this.slots[index] === slot) {
          this.options.onWorkerError?.(`inspection worker ${index} exited with code ${code}; starting a new one`);
          this.start(index).catch((e: unknown) => this.options.onWorkerError?.(`replacement worker ${index} failed: ${e instanceof Error ? e.message : String(e)}`));
        }
      });
    });
  }

  private failPending(slot: Slot, message: string): void {
    for (const done of slot.pending.values()) done(errorVerdict(AgentErrorCode.InspectionFailed, message));
    slot.pending.clear();
  }

  private pick(id: string): Slot | undefined {
    if (this.byHash && id !== '') {
      const s = this.slots[hashId(id) % this.slots.length];
      return s?.ready ? s : undefined;
    }
    let best: Slot | undefined;
    for (const s of this.slots) if (s.ready && (best === undefined || s.pending.size < best.pending.size)) best = s;
    return best;
  }

  private dispatch(slot: Slot | undefined, msg: { t: 'request'; input: RequestInput } | { t: 'response'; input: ResponseInput }): Promise<Verdict> {
    if (this.closing) return Promise.resolve(errorVerdict(AgentErrorCode.RulesNotReady, 'the inspection workers are shutting down'));
    if (slot === undefined) return Promise.resolve(errorVerdict(AgentErrorCode.RulesNotReady, 'no inspection worker is ready'));
    if (this.inFlight >= this.maxPending) return Promise.resolve(errorVerdict(AgentErrorCode.Overloaded, `${this.inFlight} inspections pending`));
    const deadline = this.options.queueDeadlineMs ?? 0;
    const expectedWait = slot.pending.size * this.serviceMs;
    if (deadline > 0 && expectedWait > deadline) {
      // Shed now rather than after the wait: HAProxy gets a quick answer (its fail-closed rule can act,
      // or it passes as it would after its timeout) and the queue stays short enough for the others.
      return Promise.resolve(errorVerdict(AgentErrorCode.Overloaded, `worker queue would take ~${Math.round(expectedWait)} ms (> ${deadline} ms): not inspected`));
    }
    const n = this.nextN++;
    this.inFlight++;
    return new Promise<Verdict>((resolve) => {
      slot.pending.set(n, (v) => {
        this.inFlight--;
        if (this.inFlight === 0) for (const w of this.idleWaiters.splice(0)) w();
        resolve(v);
      });
      slot.worker.postMessage({ ...msg, n, sentAt: Date.now() } satisfies ToWorker);
    });
  }

  inspectRequest(input: RequestInput): Promise<Verdict> {
    // The id is fixed here, not in the worker, so that the response can be routed to the same worker.
    if (this.byHash && input.uniqueId === '') input.uniqueId = `${Date.now().toString(36)}-${(this.nextN).toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
    return this.dispatch(this.pick(input.uniqueId), { t: 'request', input });
  }

  inspectResponse(input: ResponseInput): Promise<Verdict> {
    return this.dispatch(this.pick(input.id), { t: 'response', input });
  }

  /** Resolves when no inspection is running. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    await this.idle();
    this.closing = true;
    await Promise.all(
      this.slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (s.exited) {
              resolve();
              return;
            }
            const timer = setTimeout(() => void s.worker.terminate(), 5000);
            s.worker.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            s.worker.postMessage({ t: 'close' } satisfies ToWorker);
          }),
      ),
    );
  }

  /** Stops every worker now, compiling or not; inspections in flight are answered with an error. */
  async terminate(): Promise<void> {
    await this.terminateAll();
    for (const s of this.slots) this.failPending(s, 'the inspection workers were stopped');
  }

  private async terminateAll(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
