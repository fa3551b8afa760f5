import type { Transaction } from '../transaction';
import { hexIfNeeded } from '../log/error-log';
import { collectSanitiseTargets, maskMultipart, maskQueryString, maskUrlencoded, maskValue, sanitisedValue, type MatchedBytes, type SanitiseTargets } from './sanitise';

export interface AuditHeader {
  name: string;
  value: string;
}

/** One uploaded file, as section J lists it. */
export interface AuditUpload {
  /** 1-based position of the part among all parts of the multipart body (ModSecurity's numbering). */
  part: number;
  size: number;
  filename: string;
  contentType: string;
}

/**
 * Everything an audit record shows about a transaction, with the sanitise* masks applied once, for both
 * formats. Strings are latin1 (bytes), as the engine holds them.
 */
export interface AuditData {
  time: Date;
  uniqueId: string;
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
  method: string;
  /** The request target as received, sanitised query-string values masked. */
  uri: string;
  /** `HTTP/1.1` */
  protocol: string;
  /** The request line as received (sanitised); undefined when the transaction never got one. */
  requestLine: string | undefined;
  requestHeaders: AuditHeader[];
  /**
   * The request body as the connector passed it, up to SecRequestBodyLimit (sanitised); undefined when empty.
   * Buffered whether or not SecRequestBodyAccess is On, as ModSecurity v3 keeps it.
   */
  requestBody: string | undefined;
  /** The body was multipart/form-data and parsed as such: v2's sections I and J apply. */
  multipart: boolean;
  /** Section I: the form fields (not files) of a multipart body as `application/x-www-form-urlencoded`. */
  formFields: string;
  uploads: AuditUpload[];
  /** The status sent to the client: the interruption's, else the response's; undefined when neither is known. */
  status: number | undefined;
  responseProtocol: string;
  responseHeaders: AuditHeader[];
  /** The response body as inspected; undefined when none was buffered. */
  responseBody: string | undefined;
  sanitise: SanitiseTargets;
  /**
   * Masks the sanitised values wherever else they appear (the matched value quoted in a rule message), so a
   * card number masked in the body does not show in section H. Values shorter than 4 bytes are left: masking
   * every `1` of a message would hide more than it protects.
   */
  maskSecrets(text: string): string;
}

function headersOf(tx: Transaction, collection: string, masked: ReadonlyMap<string, string>, partial: ReadonlyMap<string, readonly MatchedBytes[]>): AuditHeader[] {
  const out: AuditHeader[] = [];
  for (const e of tx.collection(collection)?.entries() ?? []) {
    out.push({ name: e.key, value: sanitisedValue(e.value, e.key.toLowerCase(), masked, partial) });
  }
  return out;
}

/** ModSecurity v2's `strnurlencat`: letters, digits and `*` kept, space as `+`, everything else `%xx`. */
export function formUrlEncode(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) out += '+';
    else if (c === 0x2a || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) out += s[i];
    else out += '%' + (c & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * The uploaded files in part order. The part numbers come from MULTIPART_PART_HEADERS, where every part starts
 * with its Content-Disposition line; when that does not line up with FILES (a malformed body), files are
 * numbered in their own order.
 */
function uploadsOf(tx: Transaction): AuditUpload[] {
  const files = tx.collection('FILES')?.entries() ?? [];
  if (files.length === 0) return [];
  const sizes = tx.collection('FILES_SIZES')?.entries() ?? [];
  const fileParts: Array<{ part: number; contentType: string | undefined }> = [];
  let part = 0;
  let current: { part: number; contentType: string | undefined } | undefined;
  for (const h of tx.collection('MULTIPART_PART_HEADERS')?.entries() ?? []) {
    const v = h.value;
    if (/^content-disposition\s*:/i.test(v)) {
      part++;
      current = /filename\*?\s*=/i.test(v) ? { part, contentType: undefined } : undefined;
      if (current) fileParts.push(current);
    } else if (current && current.contentType === undefined && /^content-type\s*:/i.test(v)) {
      current.contentType = v.slice(v.indexOf(':') + 1).trim();
    }
  }
  const aligned = fileParts.length === files.length;
  return files.map((f, i) => ({
    part: aligned ? fileParts[i]!.part : i + 1,
    size: Number(sizes[i]?.value ?? 0) || 0,
    filename: f.value,
    contentType: (aligned ? fileParts[i]!.contentType : undefined) ?? '<Unknown ContentType>',
  }));
}

const MIN_SECRET = 4;

function secretMasker(tx: Transaction, sanitise: SanitiseTargets): (text: string) => string {
  const secrets = new Set<string>();
  const add = (v: string): void => {
    if (v.length < MIN_SECRET) return;
    secrets.add(v);
    secrets.add(hexIfNeeded(v));
  };
  if (sanitise.args.size > 0) for (const e of tx.collection('ARGS')?.entries() ?? []) if (sanitise.args.has(e.key.toLowerCase())) add(e.value);
  if (sanitise.requestHeaders.size > 0) for (const e of tx.collection('REQUEST_HEADERS')?.entries() ?? []) if (sanitise.requestHeaders.has(e.key.toLowerCase())) add(e.value);
  if (sanitise.responseHeaders.size > 0) for (const e of tx.collection('RESPONSE_HEADERS')?.entries() ?? []) if (sanitise.responseHeaders.has(e.key.toLowerCase())) add(e.value);
  // sanitiseMatchedBytes: the matched bytes, wherever else they appear.
  for (const list of [sanitise.argBytes, sanitise.requestHeaderBytes, sanitise.responseHeaderBytes]) for (const bytes of list.values()) for (const b of bytes) add(b.text);
  if (secrets.size === 0) return (text) => text;
  // Longest first, so a value that contains another is masked whole.
  const ordered = [...secrets].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const v of ordered) if (out.includes(v)) out = out.split(v).join(maskValue(v));
    return out;
  };
}

/** Reads the transaction once for a record. Never throws on odd transaction state: missing parts are empty. */
export function collectAuditData(tx: Transaction): AuditData {
  const v = tx.vars;
  const sanitise = collectSanitiseTargets(tx);
  const separator = tx.waf.settings.argumentSeparator;
  const method = v.get('REQUEST_METHOD') ?? '';
  const rawUri = v.get('REQUEST_URI_RAW') ?? v.get('REQUEST_URI') ?? '';
  const uri = maskQueryString(rawUri, sanitise.args, separator, sanitise.argBytes);
  const protocol = v.get('REQUEST_PROTOCOL') ?? '';
  const requestLine = v.has('REQUEST_LINE') ? `${method} ${uri} ${protocol}` : undefined;
  const processor = tx.settings.requestBodyProcessor;
  let requestBody: string | undefined;
  const raw = tx.requestBody.text();
  if (raw.length > 0) {
    if (processor === 'URLENCODED') requestBody = maskUrlencoded(raw, sanitise.args, separator, sanitise.argBytes);
    else if (processor === 'MULTIPART') requestBody = maskMultipart(raw, tx.collection('REQUEST_HEADERS')?.first('content-type') ?? '', sanitise.args, sanitise.argBytes);
    else requestBody = raw;
  }
  const multipart = processor === 'MULTIPART' && requestBody !== undefined && tx.settings.requestBodyAccess;
  let formFields = '';
  if (multipart) {
    const pairs: string[] = [];
    for (const e of tx.collection('ARGS_POST')?.entries() ?? []) {
      const value = sanitisedValue(e.value, e.key.toLowerCase(), sanitise.args, sanitise.argBytes);
      pairs.push(`${formUrlEncode(e.key)}=${formUrlEncode(value)}`);
    }
    formFields = pairs.join('&');
  }
  const statusVar = v.get('RESPONSE_STATUS');
  const status = tx.interruption?.status ?? (statusVar !== undefined && /^\d{1,3}$/.test(statusVar) ? Number(statusVar) : undefined);
  const responseBodyText = tx.responseBody.text();
  return {
    time: tx.now(),
    uniqueId: tx.id,
    clientIp: v.get('REMOTE_ADDR') ?? '',
    clientPort: Number(v.get('REMOTE_PORT') ?? 0) || 0,
    serverIp: v.get('SERVER_ADDR') ?? '',
    serverPort: Number(v.get('SERVER_PORT') ?? 0) || 0,
    method,
    uri,
    protocol,
    requestLine,
    requestHeaders: headersOf(tx, 'REQUEST_HEADERS', sanitise.requestHeaders, sanitise.requestHeaderBytes),
    requestBody,
    multipart,
    formFields,
    uploads: multipart ? uploadsOf(tx) : [],
    status,
    responseProtocol: v.get('RESPONSE_PROTOCOL') ?? (protocol || 'HTTP/1.1'),
    responseHeaders: headersOf(tx, 'RESPONSE_HEADERS', sanitise.responseHeaders, sanitise.responseHeaderBytes),
    responseBody: responseBodyText.length > 0 ? responseBodyText : undefined,
    sanitise,
    maskSecrets: secretMasker(tx, sanitise),
  };
}
