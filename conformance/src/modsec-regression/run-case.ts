import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, type Interruption, type Transaction, type Waf } from '@rampart/engine';
import type { ModsecCase } from './cases';

/** What running one case produced. */
export interface CaseOutcome {
  /** The load error when the configuration was refused. */
  readonly loadError: string | undefined;
  /** Load-time warnings, `file:line:col: message`. */
  readonly warnings: readonly string[];
  /** The status of the last interruption, else 200 (the runner's `r.status`). */
  readonly status: number;
  /** The server log: error-log lines and interruption logs, each followed by "\n". */
  readonly errorLog: string;
  /** The debug log at SecDebugLogLevel 9 (unless the rules lower it). */
  readonly debugLog: string;
  /** The audit log file named by the last SecAuditLog, '' without one. */
  readonly auditLog: string;
  /** An exception a transaction method threw (a bug: hostile input must never throw). */
  readonly crash: string | undefined;
}

export interface RunCaseOptions {
  /** The directory ModSecurity's runner runs in (`test/`): relative paths in the rules resolve against it. */
  readonly testDir: string;
}

/**
 * Absolute `/tmp/...` paths of the audit-log directives move into the case's own directory, so that runs at
 * the same time (two worktrees, CI) never read each other's records. Line numbers do not change.
 */
function relocateLogPaths(rules: string, privateDir: string): { rules: string; auditLog: string | undefined } {
  let auditLog: string | undefined;
  const out = rules.replace(/^(\s*)(SecAuditLog|SecAuditLog2|SecAuditLogStorageDir)([ \t]+)("?)(\/tmp\/[^"\s]*)/gim, (_m, lead: string, name: string, sp: string, quote: string, p: string) => {
    const moved = path.join(privateDir, p.slice('/tmp/'.length));
    mkdirSync(name.toLowerCase() === 'secauditlogstoragedir' ? moved : path.dirname(moved), { recursive: true });
    if (name.toLowerCase() === 'secauditlog') auditLog = moved;
    return `${lead}${name}${sp}${quote}${moved}`;
  });
  return { rules: out, auditLog };
}

/** The status the runner records after each phase (test/regression/regression.cc actions()). */
function take(tx: Transaction, status: { value: number }, serverLog: string[]): void {
  const it: Interruption | undefined = tx.takeInterruption();
  if (it === undefined) return;
  if (it.status !== 0) status.value = it.status;
  if (it.log !== undefined) serverLog.push(it.log);
}

/**
 * Runs one case as ModSecurity's regression runner does: a fresh engine; `SecDebugLogLevel 9` loaded first in a
 * separate call; then processConnection, processURI, the request headers, phase 1, the body, phase 2, the
 * response headers (with the last interruption's status, or 200), phase 3, the response body, phase 4, logging.
 * After each phase the interruption is read and forgotten, and the run goes on.
 */
export async function runCase(c: ModsecCase, options: RunCaseOptions): Promise<CaseOutcome> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rampart-modsec-'));
  try {
    return await runIn(c, options, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runIn(c: ModsecCase, options: RunCaseOptions, dir: string): Promise<CaseOutcome> {
  const levelFile = path.join(dir, 'debug-level.conf');
  writeFileSync(levelFile, 'SecDebugLogLevel 9\n', 'latin1');
  const debugFile = path.join(dir, 'debug.log');
  const relocated = relocateLogPaths(c.rules, dir);
  // SecDebugLog comes after the case's own lines (whose line numbers stay as written), so that the debug log
  // is captured even where the rules name one of their own, as ModSecurity's runner captures it in memory.
  const directives = `${relocated.rules}SecDebugLog ${debugFile}\n`;
  const warnings: string[] = [];
  let waf: Waf;
  try {
    waf = createWaf({
      files: [levelFile],
      directives,
      // v3's runner loads the rules under the case file's name (its debug log names a SecAction by file:line).
      directivesName: c.file,
      baseDir: options.testDir,
      onWarning: (w) => warnings.push(`${w.loc ? `${path.basename(w.loc.file)}:${w.loc.line}:${w.loc.column}: ` : ''}${w.message}`),
      onLogError: () => undefined,
      // libmodsecurity runs @inspectFile without asking; Rampart wants the opt-in (its cases run /bin/echo).
      allowInspectFile: true,
      // No network: @rbl answers "not listed" at once.
      dnsResolve: () => Promise.reject(new Error('no network in the regression runner')),
      rblTimeoutMs: 1,
    });
  } catch (e) {
    return { loadError: (e as Error).message, warnings, status: 200, errorLog: '', debugLog: '', auditLog: '', crash: undefined };
  }
  const status = { value: 200 };
  const serverLog: string[] = [];
  let crash: string | undefined;
  const tx = waf.newTransaction();
  try {
    tx.processConnection(c.client.ip, c.client.port, c.server.ip, c.server.port);
    tx.processUri(c.request.uri, c.request.method, `HTTP/${c.request.httpVersion}`);
    for (const [name, value] of c.request.headers) tx.addRequestHeader(name, value);
    await tx.processRequestHeadersAsync();
    take(tx, status, serverLog);
    tx.appendRequestBody(c.request.body);
    await tx.processRequestBodyAsync();
    take(tx, status, serverLog);
    for (const [name, value] of c.response.headers) tx.addResponseHeader(name, value);
    await tx.processResponseHeadersAsync(status.value, c.response.protocol);
    take(tx, status, serverLog);
    tx.appendResponseBody(c.response.body);
    await tx.processResponseBodyAsync();
    take(tx, status, serverLog);
    await tx.processLoggingAsync();
  } catch (e) {
    crash = (e as Error).stack ?? String(e);
  } finally {
    waf.close();
  }
  const read = (file: string | undefined): string => (file !== undefined && existsSync(file) ? readFileSync(file, 'latin1') : '');
  return {
    loadError: undefined,
    warnings,
    status: status.value,
    errorLog: [...tx.logLines, ...serverLog].map((l) => `${l}\n`).join(''),
    debugLog: read(debugFile),
    auditLog: read(relocated.auditLog),
    crash,
  };
}
