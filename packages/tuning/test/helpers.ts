import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createWaf, type Waf } from '@rampart/engine';
import type { HttpRequest } from '../src';

export function tempDir(prefix = 'rampart-tuning-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Runs a request through a WAF the way the agent does (request phases, then logging); returns the transaction. */
export function runRequest(waf: Waf, r: HttpRequest, id?: string): ReturnType<Waf['newTransaction']> {
  const tx = waf.newTransaction(id !== undefined ? { id } : {});
  tx.processConnection(r.connection.clientIp, r.connection.clientPort, r.connection.serverIp, r.connection.serverPort);
  tx.processUri(r.target, r.method, r.protocol);
  for (const [n, v] of r.headers) tx.addRequestHeader(n, v);
  let it = tx.processRequestHeaders();
  if (!it) {
    if (r.body.length > 0) tx.appendRequestBody(r.body);
    it = tx.processRequestBody();
  }
  tx.processLogging();
  return tx;
}

/** A WAF with a few rules and an audit log of every transaction in the given format. */
export function auditingWaf(logFile: string, format: 'Native' | 'JSON', layout: 'v3' | 'v2' = 'v3', parts = 'ABCFHZ'): Waf {
  return createWaf({
    directives: [
      'SecRuleEngine On',
      'SecRequestBodyAccess On',
      'SecAuditEngine On',
      `SecAuditLogParts ${parts}`,
      'SecAuditLogType Serial',
      `SecAuditLogFormat ${format}`,
      `SecAuditLog ${logFile}`,
      `SecRule ARGS "@rx (?i)union\\s+select" "id:942100,phase:2,pass,log,msg:'SQLi',severity:CRITICAL,tag:'attack-sqli',tag:'paranoia-level/1',logdata:'Matched Data: %{TX.0} found within %{MATCHED_VAR_NAME}: %{MATCHED_VAR}',capture"`,
      `SecRule REQUEST_HEADERS:User-Agent "@contains nikto" "id:913100,phase:1,deny,status:403,log,msg:'Scanner',severity:CRITICAL,tag:'paranoia-level/1'"`,
    ].join('\n'),
    auditLogLayout: layout,
    onWarning: () => undefined,
  });
}
