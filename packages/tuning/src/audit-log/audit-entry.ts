import type { JsonAuditRecord, NativeAuditRecord } from '@rampart/engine';
import type { Connection } from '../request/http-request';
import { parseJsonMessage, parseMessageLine, type RuleMessage } from './rule-message';

/** The layouts an audit record can come in. */
export type AuditFormat = 'native-v3' | 'native-v2' | 'json';

/**
 * One transaction of an audit log, whichever layout recorded it: what the request was (as far as the logged
 * parts tell), what the client got, and which rules matched.
 */
export interface AuditEntry {
  id: string;
  timestamp: string;
  connection: Connection;
  /** Undefined when the record has no request line (Native without part B). */
  request:
    | {
        method: string;
        target: string;
        protocol: string;
        /** Undefined when the record does not list them (Native without part B, JSON without B). */
        headers: Array<[string, string]> | undefined;
        /** Part C; undefined when it was not logged. */
        body: string | undefined;
        /** v2's part I (the body's form fields, files left out), when C is absent. */
        formFields: string | undefined;
      }
    | undefined;
  response: { status: number | undefined; protocol: string; headers: Array<[string, string]>; body: string | undefined } | undefined;
  messages: RuleMessage[];
  format: AuditFormat;
  /** `DetectionOnly`, `Enabled`/`On`, when the record says (v3 JSON producer, v2 `Engine-Mode`). */
  engineMode: string | undefined;
}

const pairs = (headers: ReadonlyArray<{ name: string; value: string }> | undefined): Array<[string, string]> | undefined =>
  headers?.map((h) => [h.name, h.value]);

/** `METHOD TARGET PROTOCOL`: the target is what lies between the first and the last space. */
function requestLine(line: string): { method: string; target: string; protocol: string } {
  const first = line.indexOf(' ');
  const last = line.lastIndexOf(' ');
  if (first === -1) return { method: line, target: '/', protocol: 'HTTP/1.1' };
  if (last === first) return { method: line.slice(0, first), target: line.slice(first + 1), protocol: 'HTTP/1.1' };
  return { method: line.slice(0, first), target: line.slice(first + 1, last), protocol: line.slice(last + 1) };
}

/** A Native record (either layout) as an entry. Section H lines that are not rule messages are left out. */
export function entryFromNative(r: NativeAuditRecord): AuditEntry {
  const messages: RuleMessage[] = [];
  for (const line of r.trailer?.messages ?? []) {
    const m = parseMessageLine(line);
    if (m) messages.push(m);
  }
  const req = r.request ? requestLine(r.request.line) : undefined;
  const mode = r.trailer?.fields.find((f) => f.name === 'Engine-Mode')?.value.replace(/^"|"$/g, '');
  return {
    id: r.header.uniqueId,
    timestamp: r.header.timestamp,
    connection: { clientIp: r.header.clientIp, clientPort: r.header.clientPort, serverIp: r.header.serverIp, serverPort: r.header.serverPort },
    request: req ? { ...req, headers: pairs(r.request?.headers), body: r.requestBody, formFields: r.formFields } : undefined,
    response: r.response ? { status: r.response.status, protocol: r.response.protocol, headers: pairs(r.response.headers) ?? [], body: r.responseBody } : undefined,
    messages,
    format: r.layout === 'v3' ? 'native-v3' : 'native-v2',
    engineMode: mode,
  };
}

/** v3 writes the HTTP version as a JSON number (`1.1`, `2`). */
function protocolOf(v: unknown): string {
  const s = typeof v === 'number' || typeof v === 'string' ? String(v) : '1.1';
  return `HTTP/${s.includes('.') ? s : `${s}.0`}`;
}

function objectHeaders(h: Record<string, string> | undefined): Array<[string, string]> | undefined {
  return h === undefined ? undefined : Object.entries(h).map(([n, v]) => [n, String(v)]);
}

/**
 * A JSON record as an entry. JSON.parse keeps only the last of repeated header names, which v3's record can
 * hold (it writes each header it got): such a request comes back with one of them.
 */
export function entryFromJson(r: JsonAuditRecord): AuditEntry {
  const t = r.transaction;
  const messages: RuleMessage[] = [];
  for (const m of t.messages ?? []) {
    const parsed = parseJsonMessage(m);
    if (parsed) messages.push(parsed);
  }
  const req = t.request;
  return {
    id: String(t.unique_id ?? ''),
    timestamp: String(t.time_stamp ?? ''),
    connection: { clientIp: String(t.client_ip ?? ''), clientPort: Number(t.client_port) || 0, serverIp: String(t.host_ip ?? ''), serverPort: Number(t.host_port) || 0 },
    request: req
      ? { method: String(req.method ?? 'GET'), target: String(req.uri ?? '/'), protocol: protocolOf(req.http_version), headers: objectHeaders(req.headers), body: req.body, formFields: undefined }
      : undefined,
    response: t.response
      ? { status: Number(t.response.http_code) || undefined, protocol: protocolOf(req?.http_version), headers: objectHeaders(t.response.headers) ?? [], body: t.response.body }
      : undefined,
    messages,
    format: 'json',
    engineMode: t.producer?.secrules_engine,
  };
}
