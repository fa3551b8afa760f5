import { createWaf, type Interruption, type Transaction, type Waf } from '../../src';

export interface TestRequest {
  method?: string;
  uri?: string;
  headers?: Array<[string, string]>;
  body?: string;
  response?: { status?: number; headers?: Array<[string, string]>; body?: string };
}

export interface RunResult {
  tx: Transaction;
  interruption: Interruption | undefined;
  /** Ids of the chains that matched, in order. */
  matched: number[];
  /** Ids that wrote an error-log line. */
  logged: number[];
  lines: string[];
}

export interface TransactionOptions {
  id?: string;
  now?: Date;
  clientIp?: string;
  clientPort?: number;
  serverIp?: string;
  serverPort?: number;
  /** The Host header sent when the request names no headers. */
  defaultHost?: string;
}

/**
 * Runs one request through every phase of a transaction on an existing WAF, stopping at an interruption,
 * then phase 5 (logging, audit record, persistent collections).
 */
export function runTransaction(waf: Waf, req: TestRequest = {}, opts: TransactionOptions = {}): { tx: Transaction; interruption: Interruption | undefined } {
  const tx = waf.newTransaction({ id: opts.id ?? 'test-tx', ...(opts.now ? { now: opts.now } : {}) });
  tx.processConnection(opts.clientIp ?? '10.0.0.1', opts.clientPort ?? 40000, opts.serverIp ?? '10.0.0.2', opts.serverPort ?? 80);
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', 'HTTP/1.1');
  for (const [k, v] of req.headers ?? [['Host', opts.defaultHost ?? 'example.com']]) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    if (req.body !== undefined) tx.appendRequestBody(req.body);
    it = tx.processRequestBody();
  }
  if (!it) {
    const res = req.response ?? {};
    for (const [k, v] of res.headers ?? [['Content-Type', 'text/html']]) tx.addResponseHeader(k, v);
    it = tx.processResponseHeaders(res.status ?? 200, 'HTTP/1.1');
    if (!it) {
      if (res.body !== undefined) tx.appendResponseBody(res.body);
      it = tx.processResponseBody();
    }
  }
  tx.processLogging();
  return { tx, interruption: it };
}

/** Builds a WAF from SecLang text (warnings collected, not printed) and runs one request through every phase. */
export function run(directives: string, req: TestRequest = {}): RunResult {
  const waf = createWaf({ directives, onWarning: () => undefined });
  const { tx, interruption } = runTransaction(waf, req);
  return {
    tx,
    interruption,
    matched: tx.matchedRules.map((r) => r.id),
    logged: tx.matchedRules.filter((r) => r.logged).map((r) => r.id),
    lines: tx.logLines,
  };
}
