import type { Transaction } from '../transaction';
import { collectAuditData } from './record-data';
import { PRODUCER_JSON, defaultServerId } from './producer';
import { loggedRuleMessages, type RuleMessageFields } from './rule-message';
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

const JSON_ESCAPES: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\b': '\\b' };

/**
 * A JSON string as yajl (v3's JSON writer) writes it: `"`, `\`, and control bytes escaped (`\u001F`, upper-case
 * hex), every other byte as it is, so the record keeps the request's bytes (latin1 in, latin1 out).
 */
export function jsonString(s: string): string {
  return `"${s.replace(/["\\\x00-\x1f]/g, (c) => JSON_ESCAPES[c] ?? `\\u00${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)}"`;
}

/** A JSON object from members in order; a name may repeat (yajl writes what it is given, as v3 does for headers). */
function object(members: ReadonlyArray<readonly [string, string] | false>): string {
  let s = '';
  for (const m of members) {
    if (m === false) continue;
    s += `${s === '' ? '' : ','}${jsonString(m[0])}:${m[1]}`;
  }
  return `{${s}}`;
}

const array = (items: readonly string[]): string => `[${items.join(',')}]`;

const headerObject = (headers: ReadonlyArray<{ name: string; value: string }>): string => object(headers.map((h) => [h.name, jsonString(h.value)] as const));

function message(m: RuleMessageFields, mask: (text: string) => string): string {
  return object([
    ['message', jsonString(mask(m.msg))],
    [
      'details',
      object([
        ['match', jsonString(mask(m.match))],
        ['reference', jsonString(m.reference)],
        ['ruleId', jsonString(String(m.id))],
        ['file', jsonString(m.file)],
        ['lineNumber', jsonString(String(m.line))],
        ['data', jsonString(mask(m.data))],
        ['severity', jsonString(String(m.severity ?? 0))],
        ['ver', jsonString(m.ver ?? '')],
        ['rev', jsonString(m.rev ?? '')],
        ['tags', array(m.tags.map(jsonString))],
        ['maturity', jsonString(String(m.maturity ?? 0))],
        ['accuracy', jsonString(String(m.accuracy ?? 0))],
      ]),
    ],
  ]);
}

/**
 * One audit-log record in ModSecurity v3's JSON format (`Transaction::toJSON`): one object on one line, ending
 * with a newline, members in v3's order. Parts: B request headers, C request body, E response body, F response
 * headers, H producer and messages. Strings hold bytes (latin1), so the written record carries the request's
 * bytes unchanged, as v3's does.
 */
export function formatJsonRecord(tx: Transaction, parts: string, options: JsonFormatOptions = {}): string {
  const d = collectAuditData(tx);
  const has = (p: string): boolean => parts.includes(p);
  // v3 writes the version as a raw JSON number (`1.1`, `2.0`); anything else would not be JSON.
  const version = d.protocol.replace(/^HTTP\//i, '');
  const request = object([
    ['method', jsonString(d.method === '' ? '-' : d.method)],
    ['http_version', /^\d{1,3}(?:\.\d{1,3})?$/.test(version) ? version : '0'],
    ['uri', jsonString(d.uri)],
    has('C') && ['body', jsonString(d.requestBody ?? '')],
    has('B') && ['headers', headerObject(d.requestHeaders)],
  ]);
  const response = object([
    has('E') && ['body', jsonString(d.responseBody ?? '')],
    ['http_code', String(d.status ?? 200)],
    has('F') && ['headers', headerObject(d.responseHeaders)],
  ]);
  const producer = object([
    ['modsecurity', jsonString(PRODUCER_JSON)],
    ['connector', jsonString(options.connector ?? '')],
    ['secrules_engine', jsonString(ENGINE_STATE[tx.settings.ruleEngine] ?? tx.settings.ruleEngine)],
    ['components', array(tx.waf.settings.componentSignatures.map(jsonString))],
  ]);
  const transaction = object([
    ['client_ip', jsonString(d.clientIp)],
    ['time_stamp', jsonString(formatAscTime(d.time))],
    ['server_id', jsonString(tx.waf.settings.sensorId ?? defaultServerId())],
    ['client_port', String(d.clientPort)],
    ['host_ip', jsonString(d.serverIp)],
    ['host_port', String(d.serverPort)],
    ['unique_id', jsonString(d.uniqueId)],
    ['request', request],
    ['response', response],
    has('H') && ['producer', producer],
    has('H') && ['messages', array(loggedRuleMessages(tx).map((m) => message(m, d.maskSecrets)))],
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
