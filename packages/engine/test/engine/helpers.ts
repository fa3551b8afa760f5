import { createWaf, type Interruption, type Transaction } from '../../src';

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

/** Builds a WAF from SecLang text (warnings collected, not printed) and runs one request through every phase. */
export function run(directives: string, req: TestRequest = {}): RunResult {
  const waf = createWaf({ directives, onWarning: () => undefined });
  const tx = waf.newTransaction({ id: 'test-tx' });
  tx.processConnection('10.0.0.1', 40000, '10.0.0.2', 80);
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', 'HTTP/1.1');
  for (const [k, v] of req.headers ?? [['Host', 'example.com']]) tx.addRequestHeader(k, v);
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
  return {
    tx,
    interruption: it,
    matched: tx.matchedRules.map((r) => r.id),
    logged: tx.matchedRules.filter((r) => r.logged).map((r) => r.id),
    lines: tx.logLines,
  };
}
