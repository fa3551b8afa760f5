import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, type CollectionStore, type Interruption, type Transaction, type Waf } from '@rampart/engine';

/** A fresh SecDataDir, removed by the returned cleanup. */
export function tempDataDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-lmdb-'));
}

export function removeDir(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** A WAF over the given store; `SecRuleEngine On` is prepended. */
export function wafWith(store: CollectionStore, rules: string): Waf {
  return createWaf({ directives: `SecRuleEngine On\n${rules}`, collectionStore: store, onWarning: () => undefined });
}

export interface RequestSpec {
  ip?: string;
  uri?: string;
  headers?: Array<[string, string]>;
  /** Transaction clock, unix seconds. */
  at: number;
}

export interface RequestResult {
  tx: Transaction;
  interruption: Interruption | undefined;
}

/** Runs a bodiless GET through every phase, ending with phase 5 (which persists the collections). */
export function request(waf: Waf, spec: RequestSpec): RequestResult {
  const tx = waf.newTransaction({ now: new Date(spec.at * 1000) });
  tx.processConnection(spec.ip ?? '192.0.2.1', 40000, '192.0.2.200', 80);
  tx.processUri(spec.uri ?? '/', 'GET', 'HTTP/1.1');
  for (const [k, v] of spec.headers ?? [['Host', 'example.com']]) tx.addRequestHeader(k, v);
  let it = tx.processRequestHeaders();
  if (!it) it = tx.processRequestBody();
  if (!it) {
    tx.addResponseHeader('Content-Type', 'text/html');
    it = tx.processResponseHeaders(200, 'HTTP/1.1');
    if (!it) it = tx.processResponseBody();
  }
  tx.processLogging();
  return { tx, interruption: it };
}

/** A variable of a persistent collection as the transaction saw it. */
export function seen(tx: Transaction, collection: string, name: string): string | undefined {
  return tx.collection(collection)?.first(name);
}

/** A fixed instant (2026-01-01T00:00:00Z) in unix seconds, so tests do not depend on the wall clock. */
export const T0 = 1767225600;
