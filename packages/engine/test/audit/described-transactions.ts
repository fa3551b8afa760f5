import * as fs from 'node:fs';
import type { Waf } from '../../src';

/**
 * A transaction in the description format of tools/modsec-harness (its README), which libmodsecurity runs
 * through the harness and Rampart through `runDescribed`: the same bytes, the same calls, in the same order.
 */
export interface DescribedTransaction {
  id?: string;
  connection?: { client_ip?: string; client_port?: number; server_ip?: string; server_port?: number };
  request?: { method?: string; uri?: string; version?: string; headers?: Array<[string, string]>; body?: string; body_base64?: string };
  response?: { status?: number; protocol?: string; headers?: Array<[string, string]>; body?: string; body_base64?: string };
}

export function readDescribed(file: string): DescribedTransaction[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as DescribedTransaction[];
}

/** A body's bytes as a latin1 string: `body` is sent as its UTF-8 bytes (as the harness does), `body_base64` decoded. */
function bytes(part: { body?: string; body_base64?: string } | undefined): string {
  if (part?.body !== undefined) return Buffer.from(part.body, 'utf8').toString('latin1');
  if (part?.body_base64 !== undefined) return Buffer.from(part.body_base64, 'base64').toString('latin1');
  return '';
}

export interface DescribedResult {
  id: string;
  /** The status the client gets: an interruption's, else the response's (200 without one). */
  status: number;
  /** Ids of the rules that logged, in order. */
  logged: number[];
}

/**
 * Runs one described transaction as a connector drives the engine (and as the harness drives libmodsecurity):
 * each phase, stopping at an interruption, then logging. The protocol is passed as the bare version the
 * description holds (`1.1`), which processUri takes as libmodsecurity's msc_process_uri does.
 */
export function runDescribed(waf: Waf, d: DescribedTransaction, index: number): DescribedResult {
  const id = d.id ?? `tx-${index + 1}`;
  const tx = waf.newTransaction({ id });
  const c = d.connection ?? {};
  tx.processConnection(c.client_ip ?? '127.0.0.1', c.client_port ?? 50000, c.server_ip ?? '127.0.0.1', c.server_port ?? 80);
  const req = d.request ?? {};
  tx.processUri(req.uri ?? '/', req.method ?? 'GET', req.version ?? '1.1');
  for (const [k, v] of req.headers ?? []) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    const body = bytes(req);
    if (body.length > 0) tx.appendRequestBody(body);
    it = tx.processRequestBody();
  }
  const res = d.response;
  if (!it && res) {
    for (const [k, v] of res.headers ?? []) tx.addResponseHeader(k, v);
    it = tx.processResponseHeaders(res.status ?? 200, res.protocol ?? 'HTTP/1.1');
    if (!it) {
      const body = bytes(res);
      if (body.length > 0) tx.appendResponseBody(body);
      it = tx.processResponseBody();
    }
  }
  tx.processLogging();
  return { id, status: it?.status ?? res?.status ?? 200, logged: tx.matchedRules.filter((m) => m.logged).map((m) => m.id) };
}
