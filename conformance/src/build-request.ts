import { decodeStdBase64, utf8Bytes } from './bytes';
import { ConformanceError } from './errors';
import { FtwHeaders } from './go-header';
import { renderGoTemplate } from './go-template';
import { queryEscape, queryUnescape } from './go-url';
import type { StageInput } from './types';

const FORM = 'application/x-www-form-urlencoded';
/** go-ftw's methodsWithBodyRegex, precedence quirk included: "starts with POST", "contains PUT|PATCH", "ends with DELETE". */
const METHODS_WITH_BODY = /^POST|PUT|PATCH|DELETE$/;

/** go-ftw's data parameter encoding: only for a body that url.QueryUnescape leaves unchanged. */
export function encodeFormBody(body: string): string {
  const unescaped = queryUnescape(body);
  if (unescaped !== body) return body;
  let out = '';
  let rest: string | undefined = body;
  while (rest !== undefined && rest.length > 0) {
    const amp = rest.indexOf('&');
    const token = amp === -1 ? rest : rest.slice(0, amp);
    rest = amp === -1 ? undefined : rest.slice(amp + 1);
    const eq = token.indexOf('=');
    out += eq === -1 ? `${queryEscape(token)}&` : `${queryEscape(token.slice(0, eq))}=${queryEscape(token.slice(eq + 1))}&`;
  }
  // go-ftw strips the trailing '&' it added, which also drops one the test had at the end.
  return out.slice(0, -1);
}

/** The body before autocompletion: `data` through the Go template engine, else `encoded_data`. Bytes as latin1. */
export function stageBody(input: StageInput): string {
  if (input.data !== undefined && input.data !== null) {
    const rendered = renderGoTemplate(input.data);
    return rendered === undefined ? '' : utf8Bytes(rendered);
  }
  if (input.encodedData !== undefined) return decodeStdBase64(input.encodedData) ?? '';
  return '';
}

/**
 * The exact bytes go-ftw v2.3.0 writes on the wire for a stage (latin1 string): `encoded_request` as is, otherwise
 * the request line, headers (given order, or sorted by name for the `headers` map), autocompleted headers, body.
 */
export function buildRequest(input: StageInput): string {
  const hasData = input.data !== undefined && input.data !== null && input.data !== '';
  if (input.encodedRequest !== undefined && input.encodedRequest !== '') {
    if (hasData) throw new ConformanceError('BAD_TEST_INPUT', 'bad test input: choose between data and encoded_request');
    const raw = decodeStdBase64(input.encodedRequest);
    if (raw === undefined) throw new ConformanceError('BAD_TEST_INPUT', 'encoded_request is not valid base64');
    return raw;
  }
  const method = input.method ?? 'GET';
  const uri = input.uri ?? '/';
  const version = input.version ?? 'HTTP/1.1';
  const headers = new FtwHeaders();
  if (input.orderedHeaders !== undefined) {
    for (const h of input.orderedHeaders) headers.add(h.name, h.value);
  } else if (input.headers !== undefined) {
    for (const name of Object.keys(input.headers).sort()) headers.add(name, input.headers[name] as string);
  }
  const autocomplete = input.autocompleteHeaders ?? (input.stopMagic !== undefined ? !input.stopMagic : true);
  let body = stageBody(input);
  if (body.length > 0 && autocomplete) {
    if (!headers.hasAny('Content-Type')) headers.add('Content-Type', FORM);
    if (headers.hasAnyValue('Content-Type', FORM)) body = encodeFormBody(body);
  }
  // go-ftw turns LF into CRLF in multipart bodies; the older ftw sent them as written.
  if (headers.hasAnyValueContaining('Content-Type', 'multipart/form-data;') && input.olderFtw !== true) body = body.replace(/\n/g, '\r\n');
  if (autocomplete) {
    if (!headers.hasAny('Connection')) headers.add('Connection', 'close');
    if (!headers.hasAny('Content-Length') && (body.length > 0 || METHODS_WITH_BODY.test(method))) {
      headers.add('Content-Length', String(body.length));
    }
  }
  let out = utf8Bytes(`${method} ${uri} ${version}\r\n`);
  for (const h of headers.entries) out += utf8Bytes(`${h.name}: ${h.value}\r\n`);
  return `${out}\r\n${body}`;
}

export interface Destination {
  readonly destAddr: string;
  readonly port: number;
  readonly protocol: string;
}

export function stageDestination(input: StageInput): Destination {
  return { destAddr: input.destAddr ?? 'localhost', port: input.port ?? 80, protocol: input.protocol ?? 'http' };
}
