import * as fs from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseNativeLog, splitNativeLog } from '../../src/audit';
import { tempDir } from './helpers';

const { bodyFor } = require('./fixtures/serial-writer-body.js') as { bodyFor: (id: string, i: number) => string };

const WORKERS = 4;
const PER_WORKER = 10_000;

interface WorkerResult {
  worker: number;
  stats: { written: number; failed: number };
  errors: string[];
}

function runWorker(worker: number, logFile: string): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const w = new Worker(path.join(__dirname, 'fixtures/serial-writer-worker.js'), {
      workerData: { repoRoot: path.resolve(__dirname, '../../../..'), logFile, worker, count: PER_WORKER },
    });
    w.once('message', (m: WorkerResult) => resolve(m));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${worker} exited with ${code}`));
    });
  });
}

describe('Serial log written by several threads at once', () => {
  it(`${WORKERS} workers x ${PER_WORKER} transactions: every record whole and parseable`, async () => {
    const logFile = path.join(tempDir(), 'modsec_audit.log');
    const results = await Promise.all(Array.from({ length: WORKERS }, (_, w) => runWorker(w, logFile)));
    for (const r of results) {
      expect(r.errors).toEqual([]);
      expect(r.stats).toEqual({ written: PER_WORKER, failed: 0 });
    }
    const text = fs.readFileSync(logFile).toString('latin1');
    const { records, garbage } = splitNativeLog(text);
    expect(garbage).toEqual([]);
    expect(records).toHaveLength(WORKERS * PER_WORKER);
    const parsed = parseNativeLog(text);
    const next = new Array<number>(WORKERS).fill(0);
    let interleavedWriters = 0;
    let previousWorker = -1;
    for (const r of parsed) {
      const m = /^w(\d)-(\d+)$/.exec(r.header.uniqueId)!;
      const worker = Number(m[1]);
      const i = Number(m[2]);
      // Each worker's records appear whole and in its own order.
      expect(i).toBe(next[worker]);
      next[worker]!++;
      expect(r.requestBody).toBe(bodyFor(r.header.uniqueId, i));
      expect(r.request!.line).toBe(`POST /item/${i} HTTP/1.1`);
      expect(r.response!.status).toBe(i % 7 === 0 ? 403 : 200);
      if (worker !== previousWorker) interleavedWriters++;
      previousWorker = worker;
    }
    expect(next).toEqual(new Array<number>(WORKERS).fill(PER_WORKER));
    // The writers really did run at the same time (records of different workers alternate in the file).
    expect(interleavedWriters).toBeGreaterThan(WORKERS);
  }, 120_000);
});
