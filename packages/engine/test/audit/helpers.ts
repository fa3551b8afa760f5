import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, type Transaction, type Waf, type WafOptions } from '../../src';
import { runTransaction } from '../engine/helpers';

export interface AuditTestRequest {
  id?: string;
  method?: string;
  uri?: string;
  headers?: Array<[string, string]>;
  body?: string;
  response?: { status?: number; headers?: Array<[string, string]>; body?: string };
}

/** A fixed transaction clock, so section A and the JSON time stamp can be compared exactly. */
export const FIXED_TIME = new Date(2026, 10, 22, 8, 55, 15);

export function makeWaf(directives: string, extra: Partial<WafOptions> = {}): Waf {
  return createWaf({ directives, onWarning: () => undefined, ...extra });
}

/** Runs one request through every phase (stopping at an interruption), then phase 5 and the audit hook. */
export function runTx(waf: Waf, req: AuditTestRequest = {}): Transaction {
  const opts = { id: req.id ?? 'YXVkaXQtdGVzdA', now: FIXED_TIME, clientIp: '192.0.2.10', clientPort: 51234, serverIp: '198.51.100.2', serverPort: 8080, defaultHost: 'www.example.com' };
  return runTransaction(waf, req, opts).tx;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'rampart-audit-'));
}

/** Writes rules to a file (so section K can show their source text) and returns its path. */
export function writeRules(dir: string, text: string): string {
  const file = path.join(dir, 'rules.conf');
  fs.writeFileSync(file, text, 'latin1');
  return file;
}

export const readLatin1 = (file: string): string => fs.readFileSync(file).toString('latin1');
