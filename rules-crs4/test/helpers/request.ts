import { createWaf, type Waf } from '@rampart/engine';
import type { CrsConfig } from '../../src';

/** A WAF from a ready-made configuration, with its load warnings collected. */
export function wafOf(config: CrsConfig): { waf: Waf; warnings: string[] } {
  const warnings: string[] = [];
  const waf = createWaf({ directives: config.directives, baseDir: config.baseDir, onWarning: (w) => warnings.push(w.message) });
  return { waf, warnings };
}

export interface Request {
  method?: string;
  uri: string;
  headers?: ReadonlyArray<readonly [string, string]>;
  body?: string;
}

/** Sends one request through phases 1-2 and 5; the status of the interruption (undefined: let through) and the ids that matched. */
export function send(waf: Waf, req: Request): { status: number | undefined; ids: number[] } {
  const tx = waf.newTransaction({ id: 'test' });
  tx.processConnection('192.0.2.10', 40000, '192.0.2.1', 80);
  tx.processUri(req.uri, req.method ?? 'GET', 'HTTP/1.1');
  const headers = req.headers ?? [
    ['Host', 'example.com'],
    ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0'],
    ['Accept', 'text/html'],
  ];
  for (const [k, v] of headers) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    if (req.body !== undefined) tx.appendRequestBody(req.body);
    it = tx.processRequestBody();
  }
  tx.processLogging();
  return { status: it?.status, ids: tx.matchedRules.map((r) => r.id) };
}
