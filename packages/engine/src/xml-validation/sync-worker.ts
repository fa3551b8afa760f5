import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * Synchronous requests to a worker thread: the caller posts a message, then blocks in `Atomics.wait` until the
 * worker has answered (it bumps a shared counter) or the time limit has passed; the answer is taken with
 * `receiveMessageOnPort`. Operators are synchronous, and the libxml2 module the worker loads cannot be loaded by
 * the engine's CommonJS build (an ES module with top-level await).
 *
 * Why not the synckit package: after a time-out its worker keeps running the late request and later answers
 * are read as answers to newer requests. Here a worker that misses its time limit is terminated, and the next
 * request starts a fresh one (`onRestart` lets the owner load its state again).
 */
export class WorkerTimeoutError extends Error {}

export class SyncWorker {
  private worker: Worker | undefined;
  private port: MessagePort | undefined;
  private signal: Int32Array | undefined;
  private seq = 0;

  constructor(
    private readonly script: string,
    private readonly onRestart: (worker: SyncWorker) => void = () => undefined,
  ) {}

  /** Sends `request` and waits at most `timeoutMs` for the answer. @throws WorkerTimeoutError */
  call<T>(request: Record<string, unknown>, timeoutMs: number): T {
    const restarted = this.worker === undefined;
    if (restarted) this.start();
    if (restarted && this.seq > 0) this.onRestart(this);
    return this.send<T>(request, timeoutMs);
  }

  private start(): void {
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.script, { workerData: { port: port2, signal }, transferList: [port2] });
    // The worker must not keep the process alive, nor its failure stop it: a dead worker is seen as a time-out.
    worker.unref();
    worker.on('error', () => this.stop(worker));
    worker.on('exit', () => this.stop(worker));
    port1.unref();
    this.worker = worker;
    this.port = port1;
    this.signal = signal;
  }

  private stop(worker: Worker): void {
    if (this.worker !== worker) return;
    this.port?.close();
    this.worker = undefined;
    this.port = undefined;
    this.signal = undefined;
    void worker.terminate();
  }

  private send<T>(request: Record<string, unknown>, timeoutMs: number): T {
    const worker = this.worker!;
    const port = this.port!;
    const signal = this.signal!;
    const seq = ++this.seq;
    const deadline = Date.now() + timeoutMs;
    let seen = Atomics.load(signal, 0);
    port.postMessage({ ...request, seq });
    for (;;) {
      const reply = receiveMessageOnPort(port);
      if (reply !== undefined) {
        const message = reply.message as { seq: number };
        if (message.seq === seq) return message as T;
        continue; // an answer to an earlier request that timed out
      }
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(signal, 0, seen, left) === 'timed-out') {
        this.stop(worker);
        throw new WorkerTimeoutError(`no answer within ${timeoutMs} ms`);
      }
      seen = Atomics.load(signal, 0);
    }
  }
}
