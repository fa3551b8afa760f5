import { DEFAULT_CONNECTION, RequestInputError, headerValue, type Connection, type HttpRequest } from './http-request';

/** Reads one line ending in LF (a CR before it dropped); undefined when the text ends first. */
function readLine(raw: string, pos: number): { line: string; next: number } | undefined {
  const lf = raw.indexOf('\n', pos);
  if (lf === -1) return undefined;
  const end = lf > pos && raw.charCodeAt(lf - 1) === 0x0d ? lf - 1 : lf;
  return { line: raw.slice(pos, end), next: lf + 1 };
}

/** The chunked transfer coding undone; a message when the chunks are malformed or cut short. */
function dechunk(raw: string, pos: number): { body: string } | { error: string } {
  let body = '';
  for (;;) {
    const line = readLine(raw, pos);
    if (!line) return { error: 'the chunked body ends before its last (zero-size) chunk' };
    const m = /^([0-9A-Fa-f]{1,15})[ \t]*(?:;.*)?$/.exec(line.line);
    if (!m) return { error: `invalid chunk size line ${JSON.stringify(line.line.slice(0, 40))}` };
    const size = parseInt(m[1]!, 16);
    pos = line.next;
    if (size === 0) return { body };
    if (pos + size > raw.length) return { error: `a chunk of ${size} bytes runs past the end of the input` };
    body += raw.slice(pos, pos + size);
    pos += size;
    const crlf = readLine(raw, pos);
    if (!crlf || crlf.line !== '') return { error: 'a chunk is not followed by a line break' };
    pos = crlf.next;
  }
}

/**
 * A request written out as on the wire (`GET /x HTTP/1.1`, headers, a blank line, the body), bytes as a
 * latin1 string — a file saved from a proxy, a test, or written by hand.
 *
 * Why our own reader rather than Node's HTTP parser: that parser serves untrusted peers and refuses what it
 * should refuse on a socket (bare LF line ends, a body without a length), while here the input is a description
 * of a request, often typed by a person. So lines may end in LF alone, the body is de-chunked for
 * `Transfer-Encoding: chunked` and cut at `Content-Length`, and a body given without either is taken whole
 * (one final line break dropped, as editors add one) and said so in `notes` — the engine sees what the person
 * meant to send. Repeated headers stay repeated, names keep their case, as HAProxy hands them to the agent.
 *
 * @example requestFromRaw('POST /login HTTP/1.1\nHost: shop\nContent-Length: 7\n\nuser=a\'')
 */
export function requestFromRaw(raw: string, connection: Connection = DEFAULT_CONNECTION): HttpRequest {
  let pos = 0;
  // Blank lines before the request line are skipped, as servers do.
  let first = readLine(raw, pos);
  while (first && first.line.trim() === '') {
    pos = first.next;
    first = readLine(raw, pos);
  }
  const requestLine = first ? first.line : raw.slice(pos).replace(/\r$/, '');
  if (requestLine.trim() === '') throw new RequestInputError('the input is empty: expected a request line such as `GET / HTTP/1.1`');
  const parts = requestLine.split(/[ \t]+/).filter((p) => p !== '');
  if (parts.length < 2 || parts.length > 3 || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(parts[0]!)) {
    throw new RequestInputError(`not an HTTP request line: ${JSON.stringify(requestLine.slice(0, 120))} (expected \`METHOD TARGET HTTP/1.1\`)`);
  }
  const notes: string[] = [];
  const [method, target] = parts as [string, string];
  let protocol = parts[2] ?? 'HTTP/1.1';
  if (parts[2] === undefined) notes.push('the request line has no protocol: HTTP/1.1 assumed');
  if (!/^HTTP\/\d(?:\.\d)?$/i.test(protocol)) throw new RequestInputError(`unknown protocol ${JSON.stringify(protocol)} on the request line`);
  protocol = protocol.toUpperCase();
  pos = first ? first.next : raw.length;

  const headers: Array<[string, string]> = [];
  let ended = false;
  for (;;) {
    const line = readLine(raw, pos);
    if (!line) {
      // The input ends inside the headers: what is left is a last header line without its line break.
      const rest = raw.slice(pos).replace(/\r$/, '');
      if (rest !== '') addHeader(headers, rest);
      pos = raw.length;
      break;
    }
    pos = line.next;
    if (line.line === '') {
      ended = true;
      break;
    }
    if ((line.line.startsWith(' ') || line.line.startsWith('\t')) && headers.length > 0) {
      // Obsolete line folding: the line continues the previous header's value.
      const last = headers[headers.length - 1]!;
      last[1] = `${last[1]} ${line.line.trim()}`;
      notes.push(`header ${last[0]} was folded over several lines: joined with a space`);
      continue;
    }
    addHeader(headers, line.line);
  }

  let body = '';
  const rest = ended ? raw.slice(pos) : '';
  const transferEncoding = headerValue(headers, 'transfer-encoding');
  const contentLength = headerValue(headers, 'content-length');
  if (transferEncoding !== undefined && /(?:^|,)\s*chunked\s*$/i.test(transferEncoding)) {
    const r = dechunk(rest, 0);
    if ('error' in r) throw new RequestInputError(`Transfer-Encoding: chunked, but ${r.error}`);
    body = r.body;
  } else if (contentLength !== undefined) {
    if (!/^\s*\d+\s*$/.test(contentLength)) throw new RequestInputError(`Content-Length ${JSON.stringify(contentLength)} is not a number`);
    const length = Number(contentLength);
    body = rest.slice(0, length);
    if (body.length < length) notes.push(`Content-Length says ${length} bytes, the input has ${body.length}: the body is what there is`);
    else if (rest.length > length && rest.slice(length).trim() !== '') notes.push(`${rest.length - length} bytes after the Content-Length of the body were left out`);
  } else if (rest !== '') {
    body = rest.endsWith('\r\n') ? rest.slice(0, -2) : rest.endsWith('\n') ? rest.slice(0, -1) : rest;
    if (body !== '') notes.push(`no Content-Length: the ${body.length} bytes after the headers are taken as the body (a server would have ignored them)`);
  }
  return { method, target, protocol, headers, body, connection: { ...connection }, notes };
}

function addHeader(headers: Array<[string, string]>, line: string): void {
  const colon = line.indexOf(':');
  if (colon <= 0) throw new RequestInputError(`not a header line: ${JSON.stringify(line.slice(0, 120))} (expected \`Name: value\`)`);
  headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
}
