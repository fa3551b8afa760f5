import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigLoadError, createWaf, type Interruption, type Transaction, type Waf } from '../../src';
import { runTransaction, type TestRequest } from '../engine/helpers';

export { run } from '../engine/helpers';
export type { TestRequest, RunResult } from '../engine/helpers';

export const ON = 'SecRuleEngine On\n';

/** The messages of the ConfigLoadError createWaf throws; [] when the configuration loads. */
export function loadErrors(directives: string, options: { strict?: boolean } = {}): string[] {
  try {
    createWaf({ directives, onWarning: () => undefined, ...options });
  } catch (e) {
    if (e instanceof ConfigLoadError) return e.problems.map((p) => p.message);
    throw e;
  }
  return [];
}

export function waf(directives: string): Waf {
  return createWaf({ directives, onWarning: () => undefined });
}

export interface TxOptions {
  now?: Date;
  clientIp?: string;
}

/** One request through an existing WAF (for state shared between transactions: persistent collections). */
export function runTx(w: Waf, req: TestRequest = {}, opts: TxOptions = {}): { tx: Transaction; interruption: Interruption | undefined; matched: number[] } {
  const { tx, interruption } = runTransaction(w, req, { ...(opts.now ? { now: opts.now } : {}), ...(opts.clientIp ? { clientIp: opts.clientIp } : {}) });
  return { tx, interruption, matched: tx.matchedRules.map((r) => r.id) };
}

/** TX:name as the transaction sees it. */
export function txVar(tx: Transaction, name: string): string | undefined {
  return tx.collection('TX')!.first(name);
}

/** A fresh temporary directory for audit and debug logs. */
export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-actions-'));
}

/**
 * Runs one request with the audit log written to a temporary file (`SecAuditLog` is appended to the
 * directives); returns the file's text ('' when nothing was written) and the transaction.
 */
export function runAudited(directives: string, req: TestRequest = {}): { audit: string; tx: Transaction } {
  const dir = tempDir();
  const file = path.join(dir, 'audit.log');
  const w = waf(`${directives}\nSecAuditLog ${file}`);
  const { tx } = runTx(w, req);
  w.close();
  const audit = fs.existsSync(file) ? fs.readFileSync(file, 'latin1') : '';
  fs.rmSync(dir, { recursive: true, force: true });
  return { audit, tx };
}
