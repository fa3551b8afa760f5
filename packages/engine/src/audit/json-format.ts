import type { MatchedRule } from '../interruption';
import type { Transaction } from '../transaction';
import { collectAuditData } from './record-data';
import { PRODUCER_JSON, defaultServerId } from './producer';
import { formatAscTime } from './time-format';

export interface JsonFormatOptions {
  /** `producer.connector` (ModSecurity v3: the connector's name and version, e.g. `ModSecurity-nginx v1.0.3`). */
  connector?: string;
}

/** One `messages[]` entry of ModSecurity v3's JSON audit log. Numbers are strings there, and so here. */
export interface JsonAuditMessage {
  message: string;
  details: {
    match: string;
    reference: string;
    ruleId: string;
    file: string;
    lineNumber: string;
    data: string;
    severity: string;
    ver: string;
    rev: string;
    tags: string[];
    maturity: string;
    accuracy: string;
  };
}

/** ModSecurity v3's JSON audit record (`Transaction::toJSON`); optional members follow the selected parts. */
export interface JsonAuditRecord {
  transaction: {
    client_ip: string;
    time_stamp: string;
    server_id: string;
    client_port: number;
    host_ip: string;
    host_port: number;
    unique_id: string;
    request: { method: string; http_version: number; uri: string; body?: string; headers?: Record<string, string> };
    response: { body?: string; http_code: number; headers?: Record<string, string> };
    producer?: { modsecurity: string; connector: string; secrules_engine: string; components: string[] };
    messages?: JsonAuditMessage[];
  };
}

const ENGINE_STATE: Record<string, string> = { On: 'Enabled', Off: 'Disabled', DetectionOnly: 'DetectionOnly' };

/** The `Matched "Operator ..."` part of an error-log line, which v3 keeps as `details.match`. */
function matchText(line: string | undefined): string {
  if (line === undefined) return '';
  const m = /^ModSecurity: (?:Warning\. |Access denied with code \d+ \(phase \d\)\. )(.*?) \[file "/.exec(line);
  return m ? m[1]! : '';
}

function message(m: MatchedRule, mask: (text: string) => string): JsonAuditMessage {
  return {
    message: mask(m.msg),
    details: {
      match: mask(matchText(m.logLine)),
      // v3 fills `reference` with match offsets and transformations (`o0,6v14,6t:lowercase`); they are not tracked.
      reference: '',
      ruleId: String(m.id),
      file: m.file,
      lineNumber: String(m.line),
      data: mask(m.data),
      severity: String(m.severity ?? 0),
      ver: m.ver ?? '',
      rev: m.rev ?? '',
      tags: [...m.tags],
      maturity: String(m.maturity ?? 0),
      accuracy: String(m.accuracy ?? 0),
    },
  };
}

function headerObject(headers: ReadonlyArray<{ name: string; value: string }>): Record<string, string> {
  // A JSON object holds one value per name: like v3 (yajl writes duplicates, parsers keep the last), the last wins.
  const o: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const h of headers) o[h.name] = h.value;
  return o;
}

/**
 * One audit-log record in ModSecurity v3's JSON format: one object on one line, ending with a newline.
 * Parts: B request headers, C request body, E response body, F response headers, H producer and messages.
 * Strings hold bytes (latin1), so the written record carries the request's bytes unchanged, as v3's does.
 */
export function formatJsonRecord(tx: Transaction, parts: string, options: JsonFormatOptions = {}): string {
  const d = collectAuditData(tx);
  const has = (p: string): boolean => parts.includes(p);
  const str = (v: unknown): string => JSON.stringify(v);
  const obj = (members: Array<[string, string] | false>): string =>
    `{${members.filter((m): m is [string, string] => m !== false).map(([k, v]) => `${str(k)}:${v}`).join(',')}}`;
  // v3 writes the version text as a raw JSON number (`1.1`, `2.0`), which JSON.stringify of a number would not keep.
  const version = d.protocol.replace(/^HTTP\//i, '');
  const request = obj([
    ['method', str(d.method === '' ? '-' : d.method)],
    ['http_version', /^\d{1,3}(?:\.\d{1,3})?$/.test(version) ? version : '0'],
    ['uri', str(d.uri)],
    has('C') && ['body', str(d.requestBody ?? '')],
    has('B') && ['headers', str(headerObject(d.requestHeaders))],
  ]);
  const response = obj([
    has('E') && ['body', str(d.responseBody ?? '')],
    ['http_code', String(d.status ?? 200)],
    has('F') && ['headers', str(headerObject(d.responseHeaders))],
  ]);
  const producer = {
    modsecurity: PRODUCER_JSON,
    connector: options.connector ?? '',
    secrules_engine: ENGINE_STATE[tx.settings.ruleEngine] ?? tx.settings.ruleEngine,
    components: [...tx.waf.settings.componentSignatures],
  };
  const transaction = obj([
    ['client_ip', str(d.clientIp)],
    ['time_stamp', str(formatAscTime(d.time))],
    ['server_id', str(tx.waf.settings.sensorId ?? defaultServerId())],
    ['client_port', String(d.clientPort)],
    ['host_ip', str(d.serverIp)],
    ['host_port', String(d.serverPort)],
    ['unique_id', str(d.uniqueId)],
    ['request', request],
    ['response', response],
    has('H') && ['producer', str(producer)],
    has('H') && ['messages', str(tx.matchedRules.filter((m) => m.logged).map((m) => message(m, d.maskSecrets)))],
  ]);
  return `{"transaction":${transaction}}\n`;
}

/** Parses one line of a JSON audit log (latin1 text, as read back with `toString('latin1')`). */
export function parseJsonRecord(line: string): JsonAuditRecord {
  const value = JSON.parse(line) as unknown;
  if (typeof value !== 'object' || value === null || !('transaction' in value)) throw new Error('not a JSON audit record: no "transaction" member');
  return value as JsonAuditRecord;
}

/** Every record of a JSON audit log (one object per line; blank lines skipped). */
export function parseJsonLog(text: string): JsonAuditRecord[] {
  return text.split('\n').filter((l) => l.length > 0).map(parseJsonRecord);
}
