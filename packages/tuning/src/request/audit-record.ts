import type { AuditEntry } from '../audit-log/audit-entry';
import { RequestInputError, headerValue, type HttpRequest } from './http-request';

/**
 * The request an audit record describes, to run again: the request line and headers (part B), the body (part C;
 * v2's part I when C is missing), the connection (part A) and, when logged, the response (part F, body E).
 * What the record left out is said in `notes`: without part C a POST is explained without its body.
 */
export function requestFromAuditEntry(entry: AuditEntry): HttpRequest {
  const req = entry.request;
  if (req === undefined) throw new RequestInputError(`audit record ${entry.id} has no request line (part B was not logged: SecAuditLogParts needs B)`);
  const notes: string[] = [];
  const headers = req.headers ?? [];
  if (req.headers === undefined) notes.push('the record lists no request headers (part B): the request is run without them');
  let body = req.body ?? '';
  const declared = headerValue(headers, 'content-length');
  if (req.body === undefined) {
    if (req.formFields !== undefined && req.formFields !== '') {
      body = req.formFields;
      notes.push("the record has no request body (part C); v2's part I (the form fields, without files) was used in its place");
    } else if (declared !== undefined && declared.trim() !== '0') {
      notes.push(`the record has no request body (part C was not logged; the request declared ${declared.trim()} bytes): the request is run without it`);
    }
  }
  const out: HttpRequest = {
    method: req.method,
    target: req.target,
    protocol: req.protocol,
    headers: headers.map(([n, v]) => [n, v]),
    body,
    connection: { ...entry.connection },
    id: entry.id,
    notes,
  };
  const res = entry.response;
  if (res !== undefined && res.status !== undefined) {
    out.response = { status: res.status, protocol: res.protocol || req.protocol, headers: res.headers.map(([n, v]) => [n, v]), body: res.body ?? '' };
  }
  return out;
}
