import type { ConnectionInfo, ParsedHttpRequest } from './types';

/**
 * What the emulated front end (Apache httpd 2.4 with `HttpProtocolOptions Strict`, as in CRS's CI) does with the
 * raw bytes: hand a request to the WAF, answer by itself (the 400s of crs-regression.md 5.4, which the WAF never
 * sees), or give the client nothing it can parse (an HTTP/0.9 answer, or waiting for bytes that never come).
 */
export type FrontEndResult =
  | { readonly kind: 'request'; readonly request: ParsedHttpRequest }
  | { readonly kind: 'response'; readonly status: number; readonly reason: string }
  | { readonly kind: 'no-response'; readonly reason: string };

export const DEFAULT_CONNECTION: ConnectionInfo = { clientIp: '127.0.0.1', clientPort: 50000, serverIp: '127.0.0.1', serverPort: 80 };

/** httpd's LimitRequestLine / LimitRequestFieldSize / LimitRequestFields defaults. */
const LIMIT_REQUEST_LINE = 8190;
const LIMIT_FIELD_SIZE = 8190;
const LIMIT_FIELDS = 100;
/** Blank lines httpd skips before a request line. */
const MAX_LEADING_BLANK_LINES = 10;

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const CTL_IN_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const PROTOCOL = /^HTTP\/(\d)\.(\d)$/;

function reject(reason: string, status = 400): FrontEndResult {
  return { kind: 'response', status, reason };
}

function noResponse(reason: string): FrontEndResult {
  return { kind: 'no-response', reason };
}

/** Reads one line ending in LF (CR before it dropped); undefined when the bytes end first. */
function readLine(raw: string, pos: number): { line: string; next: number } | undefined {
  const lf = raw.indexOf('\n', pos);
  if (lf === -1) return undefined;
  const end = lf > pos && raw.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
  return { line: raw.slice(pos, end), next: lf + 1 };
}

function validHost(host: string): boolean {
  if (host === '') return false;
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d*))?$/.exec(host);
  if (v6) return true;
  // httpd's strict hostname check: letters, digits, '-', '.', '_', with an optional numeric port.
  return /^[A-Za-z0-9._-]+(?::\d*)?$/.test(host) && !host.includes('..');
}

function validUri(method: string, uri: string): string | undefined {
  if (/[\x00-\x20\x7f]/.test(uri)) return 'URI contains control characters';
  if (uri.includes('#')) return 'URI must not contain a fragment';
  if (method === 'CONNECT') {
    return /^(?:\[[0-9A-Fa-f:.]+\]|[^/:@[\]]+):\d+$/.test(uri) ? undefined : 'CONNECT needs host:port';
  }
  if (uri === '*' || uri.startsWith('/')) return undefined;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.test(uri)) return undefined;
  return 'invalid request target';
}

/** Chunked transfer coding; undefined when the chunks run past the bytes received. */
function dechunk(raw: string, pos: number): { body: string } | { error: string } | undefined {
  let body = '';
  for (let guard = 0; guard < 1_000_000; guard++) {
    const line = readLine(raw, pos);
    if (!line) return undefined;
    const m = /^([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?$/.exec(line.line);
    if (!m || m[1] === undefined) return { error: 'invalid chunk size line' };
    const size = parseInt(m[1], 16);
    pos = line.next;
    if (size === 0) {
      // Trailer fields up to the empty line.
      for (let t = 0; t < LIMIT_FIELDS + 1; t++) {
        const trailer = readLine(raw, pos);
        if (!trailer) return undefined;
        pos = trailer.next;
        if (trailer.line === '') return { body };
      }
      return { error: 'too many trailer fields' };
    }
    if (pos + size > raw.length) return undefined;
    body += raw.slice(pos, pos + size);
    pos += size;
    const crlf = readLine(raw, pos);
    if (!crlf) return undefined;
    if (crlf.line !== '') return { error: 'chunk data not followed by CRLF' };
    pos = crlf.next;
  }
  return { error: 'too many chunks' };
}

/**
 * Parses the raw request bytes (latin1) like httpd does before any module sees the request. Bounded: every loop
 * is limited by the input length or a fixed limit, and nothing here throws.
 */
export function parseHttpRequest(raw: string, connection: ConnectionInfo = DEFAULT_CONNECTION): FrontEndResult {
  let pos = 0;
  let first: { line: string; next: number } | undefined;
  for (let blank = 0; ; blank++) {
    first = readLine(raw, pos);
    if (!first) return noResponse('request line never completed');
    if (first.line !== '' || blank >= MAX_LEADING_BLANK_LINES) break;
    pos = first.next;
  }
  const requestLine = first.line;
  if (requestLine.length > LIMIT_REQUEST_LINE) return reject('request line too long', 414);
  pos = first.next;

  // Request line, strict: METHOD SP request-target SP HTTP/d.d, single spaces, nothing else.
  if (/^[ \t]/.test(requestLine)) return reject('whitespace before the method');
  const methodEnd = requestLine.search(/[ \t]/);
  const method = methodEnd === -1 ? requestLine : requestLine.slice(0, methodEnd);
  if (!TCHAR.test(method)) return reject('invalid method token');
  if (methodEnd === -1) return reject('request line has no URI');
  if (requestLine[methodEnd] !== ' ' || requestLine[methodEnd + 1] === ' ' || requestLine[methodEnd + 1] === '\t') {
    return reject('invalid whitespace after the method');
  }
  const rest = requestLine.slice(methodEnd + 1);
  const uriEnd = rest.search(/[ \t]/);
  const uri = uriEnd === -1 ? rest : rest.slice(0, uriEnd);
  if (uri === '') return reject('request line has no URI');
  const protocol = uriEnd === -1 ? '' : rest.slice(uriEnd + 1);
  if (uriEnd !== -1 && rest[uriEnd] !== ' ') return reject('invalid whitespace after the URI');
  if (protocol === '') {
    // No version: an HTTP/0.9 request, answered with a bare body the client cannot parse as HTTP/1.x.
    return noResponse('HTTP/0.9 request: the response has no status line');
  }
  const proto = PROTOCOL.exec(protocol);
  if (!proto) return reject(`invalid protocol ${JSON.stringify(protocol.slice(0, 40))}`);
  const major = Number(proto[1]);
  const minor = Number(proto[2]);
  if (major < 1) return reject('HTTP/0.x with an explicit version');
  const uriProblem = validUri(method, uri);
  if (uriProblem) return reject(uriProblem);

  // Header fields.
  const headers: Array<[string, string]> = [];
  const index = new Map<string, number>();
  let lastName: string | undefined;
  for (let count = 0; ; count++) {
    const line = readLine(raw, pos);
    if (!line) return noResponse('header section never completed');
    pos = line.next;
    if (line.line === '') break;
    if (count >= LIMIT_FIELDS) return reject('too many header fields');
    if (line.line.length > LIMIT_FIELD_SIZE) return reject('header field too long');
    if (/^[ \t]/.test(line.line)) {
      // obs-fold: the continuation joins the previous field's value.
      if (lastName === undefined) return reject('continuation line before any header field');
      const folded = line.line.replace(/^[ \t]+|[ \t]+$/g, '');
      if (CTL_IN_VALUE.test(folded)) return reject('control character in a header value');
      const at = index.get(lastName) as number;
      const prev = headers[at] as [string, string];
      prev[1] = prev[1] === '' ? folded : `${prev[1]} ${folded}`;
      continue;
    }
    const colon = line.line.indexOf(':');
    if (colon === -1) return reject('header field without a colon');
    const name = line.line.slice(0, colon);
    if (!TCHAR.test(name)) return reject(`invalid header field name ${JSON.stringify(name.slice(0, 40))}`);
    const value = line.line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, '');
    if (CTL_IN_VALUE.test(value)) return reject(`control character in the ${name} header`);
    const key = name.toLowerCase();
    const existing = index.get(key);
    if (existing === undefined) {
      index.set(key, headers.length);
      headers.push([name, value]);
    } else {
      // httpd keeps one field per name: repeated fields are merged into the first, comma-separated.
      const prev = headers[existing] as [string, string];
      prev[1] = `${prev[1]}, ${value}`;
    }
    lastName = key;
  }
  const get = (name: string): string | undefined => {
    const at = index.get(name);
    return at === undefined ? undefined : (headers[at] as [string, string])[1];
  };

  const host = get('host');
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri);
  // An empty Host counts as none: fatal for HTTP/1.1 (920290-1), accepted for HTTP/1.0 (920290-4).
  if (host === undefined || host === '') {
    if ((major > 1 || (major === 1 && minor >= 1)) && !absolute) return reject('HTTP/1.1 request without a Host');
  } else if (!validHost(host)) {
    return reject(`invalid Host ${JSON.stringify(host.slice(0, 40))}`);
  }

  // Body framing: Transfer-Encoding chunked wins and Content-Length is dropped; else Content-Length; else none.
  let body = '';
  const te = get('transfer-encoding');
  const cl = get('content-length');
  if (te !== undefined) {
    const codings = te.split(',').map((c) => c.trim().toLowerCase());
    if (codings[codings.length - 1] !== 'chunked') return reject(`unsupported Transfer-Encoding ${JSON.stringify(te)}`);
    const decoded = dechunk(raw, pos);
    if (decoded === undefined) return noResponse('chunked body never completed');
    if ('error' in decoded) return reject(decoded.error);
    body = decoded.body;
    const clAt = index.get('content-length');
    if (clAt !== undefined) headers.splice(clAt, 1);
  } else if (cl !== undefined) {
    if (!/^\d{1,15}$/.test(cl)) return reject(`invalid Content-Length ${JSON.stringify(cl.slice(0, 40))}`);
    const length = Number(cl);
    if (pos + length > raw.length) return noResponse(`waiting for ${length} body bytes, got ${raw.length - pos}`);
    body = raw.slice(pos, pos + length);
  }

  return {
    kind: 'request',
    request: { method, uri, protocol, requestLine, headers, body, connection },
  };
}
