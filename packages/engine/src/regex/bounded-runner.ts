/**
 * Runs native RegExps with a time limit. A JavaScript RegExp cannot be interrupted on the thread that runs it,
 * so the patterns run on a helper thread: the caller posts the value, then blocks on a shared flag with
 * Atomics.wait for at most the limit. When the limit passes, the helper thread is terminated (V8 interrupts
 * the running match) and the call answers "limit", as PCRE answers PCRE_ERROR_MATCHLIMIT; the next call starts
 * a new helper and compiles the registered patterns there again.
 *
 * The cost is a thread round trip per call (about 25-35 us measured on the development machine), which is why
 * callers screen values with an RE2 superset first (backtracking-regex.ts): most values never get here.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** What oniguruma-to-es's toRegExpDetails returns: enough to build the EmulatedRegExp on the helper. */
export interface RegexDetails {
  readonly pattern: string;
  readonly flags: string;
  readonly options?: object;
}

/** One match as the helper reports it. */
export interface BoundedMatch {
  readonly index: number;
  readonly groups: ReadonlyArray<string | undefined>;
}

export type BoundedResult<T> = { readonly kind: 'done'; readonly value: T } | { readonly kind: 'limit' } | { readonly kind: 'error'; readonly message: string };

// The helper thread's program. Plain JavaScript (it runs as `eval`), so that it works from sources under test
// and from the built package alike.
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { EmulatedRegExp } = require(workerData.library);
const flag = new Int32Array(workerData.flag);
const port = workerData.port;
const regexes = new Map();
const shape = (m) => ({ index: m.index, groups: Array.from(m, (g) => (g === undefined ? null : g)) });
port.on('message', (m) => {
  if (m.op === 'compile') {
    regexes.set(m.id, new EmulatedRegExp(m.pattern, m.flags, m.options));
    return;
  }
  let reply;
  try {
    const re = regexes.get(m.id);
    if (m.op === 'exec') {
      re.lastIndex = m.from;
      const r = re.exec(m.input);
      reply = { matches: r === null ? [] : [shape(r)] };
    } else {
      const matches = [];
      re.lastIndex = 0;
      let r;
      while ((r = re.exec(m.input)) !== null) {
        matches.push(shape(r));
        if (r[0] === '') re.lastIndex++;
        if (matches.length >= m.max) break;
      }
      reply = { matches };
    }
  } catch (e) {
    reply = { error: String(e && e.message ? e.message : e) };
  }
  port.postMessage({ seq: m.seq, reply });
  Atomics.store(flag, 0, m.seq);
  Atomics.notify(flag, 0);
});
Atomics.store(flag, 0, -1);
Atomics.notify(flag, 0);
`;

/** How long a new helper thread may take to start (loading on a busy machine), apart from the match limit. */
const START_TIMEOUT_MS = 30_000;
const READY = -1;

interface Helper {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
  /** Pattern ids compiled on this helper. */
  readonly compiled: Set<number>;
}

interface Reply {
  seq: number;
  reply: { matches?: Array<{ index: number; groups: Array<string | null> }>; error?: string };
}

export class BoundedRegexRunner {
  private readonly patterns: RegexDetails[] = [];
  private helper: Helper | undefined;
  private seq = 0;

  constructor(private readonly library: string = require.resolve('oniguruma-to-es')) {}

  /** Registers a pattern (compiled on the helper when first used); returns its id. */
  register(details: RegexDetails): number {
    this.patterns.push(details);
    return this.patterns.length - 1;
  }

  /** The leftmost match starting at or after `from`, or null. */
  exec(id: number, input: string, from: number, limitMs: number): BoundedResult<BoundedMatch | null> {
    const r = this.call({ op: 'exec', id, input, from }, limitMs);
    return r.kind === 'done' ? { kind: 'done', value: r.value[0] ?? null } : r;
  }

  /** Every non-overlapping match from the start, at most `max`. */
  scan(id: number, input: string, max: number, limitMs: number): BoundedResult<BoundedMatch[]> {
    return this.call({ op: 'scan', id, input, max }, limitMs);
  }

  /** Stops the helper thread (a later call starts a new one). */
  close(): void {
    if (this.helper === undefined) return;
    this.helper.port.close();
    void this.helper.worker.terminate();
    this.helper = undefined;
  }

  private call(message: { op: string; id: number; input: string; [k: string]: unknown }, limitMs: number): BoundedResult<BoundedMatch[]> {
    let helper: Helper;
    try {
      helper = this.ready();
    } catch (e) {
      return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    if (!helper.compiled.has(message.id)) {
      const details = this.patterns[message.id];
      if (details === undefined) return { kind: 'error', message: `unknown pattern ${message.id}` };
      helper.port.postMessage({ op: 'compile', id: message.id, ...details });
      helper.compiled.add(message.id);
    }
    const seq = ++this.seq;
    Atomics.store(helper.flag, 0, 0);
    helper.port.postMessage({ ...message, seq });
    const deadline = Date.now() + limitMs;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(helper.flag, 0, 0, left) === 'timed-out') {
        if (Atomics.load(helper.flag, 0) === seq) break;
        this.close();
        return { kind: 'limit' };
      }
      if (Atomics.load(helper.flag, 0) === seq) break;
    }
    for (;;) {
      const received = receiveMessageOnPort(helper.port) as { message: Reply } | undefined;
      if (received === undefined) return { kind: 'error', message: 'the regex helper thread answered nothing' };
      if (received.message.seq !== seq) continue;
      const reply = received.message.reply;
      if (reply.error !== undefined) return { kind: 'error', message: reply.error };
      return {
        kind: 'done',
        value: (reply.matches ?? []).map((m) => ({ index: m.index, groups: m.groups.map((g) => (g === null ? undefined : g)) })),
      };
    }
  }

  private ready(): Helper {
    if (this.helper !== undefined) return this.helper;
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(HELPER_SOURCE, {
      eval: true,
      workerData: { flag: flag.buffer, port: port2, library: this.library },
      transferList: [port2],
      // A match runs on one value: a small heap is enough, and a runaway pattern cannot grow it much.
      resourceLimits: { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 },
    });
    worker.unref();
    port1.unref();
    // Errors surface as "limit"/"error" answers of the calls; an unhandled 'error' event must not crash the process.
    worker.on('error', () => undefined);
    if (Atomics.wait(flag, 0, 0, START_TIMEOUT_MS) === 'timed-out' && Atomics.load(flag, 0) !== READY) {
      void worker.terminate();
      port1.close();
      throw new Error('the regex helper thread did not start');
    }
    this.helper = { worker, port: port1, flag, compiled: new Set() };
    return this.helper;
  }
}

let shared: BoundedRegexRunner | undefined;

/** The runner of this thread (each engine worker thread has its own helper). */
export function sharedRunner(): BoundedRegexRunner {
  shared ??= new BoundedRegexRunner();
  return shared;
}
