import type { BackendResponse, ParsedHttpRequest } from './types';

/**
 * The backend of CRS's CI, albedo v0.3.0 (crs-regression.md 5.5): every path answers 200 with an empty body,
 * except `POST /reflect` (and `/reflect/...`), which answers what its JSON body specifies. Go's net/http adds
 * `Content-Length`, `Date` and, for a body without a Content-Type, a sniffed one, so the response body falls
 * under SecResponseBodyMimeType as it does in CI.
 */
export interface AlbedoOptions {
  /** Date header value; defaults to now. Tests pass a fixed one. */
  readonly now?: () => Date;
}

interface ReflectionSpec {
  status: number;
  headers: Array<[string, string]>;
  body: string;
  encodedBody: string;
}

function pathOf(uri: string): string {
  const noQuery = uri.replace(/[?#][\s\S]*$/, '');
  const abs = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/]*(\/[\s\S]*)?$/.exec(noQuery);
  if (abs) return abs[1] ?? '/';
  return noQuery;
}

/** Go's encoding/json into the reflection struct: keys match case-insensitively, unknown keys are ignored. */
function decodeSpec(bodyLatin1: string): ReflectionSpec | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bodyLatin1, 'latin1').toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null) return { status: 0, headers: [], body: '', encodedBody: '' };
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const spec: ReflectionSpec = { status: 0, headers: [], body: '', encodedBody: '' };
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    switch (key.toLowerCase()) {
      case 'status':
        if (value === null) break;
        if (typeof value !== 'number' || !Number.isInteger(value)) return undefined;
        spec.status = value;
        break;
      case 'headers':
        if (value === null) break;
        if (typeof value !== 'object' || Array.isArray(value)) return undefined;
        for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
          if (typeof v !== 'string') return undefined;
          spec.headers.push([name, v]);
        }
        break;
      case 'body':
      case 'encodedbody':
      case 'logmessage':
        if (value === null) break;
        if (typeof value !== 'string') return undefined;
        if (key.toLowerCase() === 'body') spec.body = value;
        else if (key.toLowerCase() === 'encodedbody') spec.encodedBody = value;
        break;
      default:
        break;
    }
  }
  return spec;
}

const HTML_SIGNATURES = ['<!DOCTYPE HTML', '<HTML', '<HEAD', '<SCRIPT', '<IFRAME', '<H1', '<DIV', '<FONT', '<TABLE', '<A', '<STYLE', '<TITLE', '<B', '<BODY', '<BR', '<P', '<!--'];

/** A subset of Go's http.DetectContentType: HTML, XML, binary, else text/plain. */
export function sniffContentType(body: string): string {
  const head = body.slice(0, 512);
  const trimmed = head.replace(/^[\t\n\x0c\r ]+/, '');
  const upper = trimmed.toUpperCase();
  for (const sig of HTML_SIGNATURES) {
    const next = upper.charAt(sig.length);
    if (upper.startsWith(sig) && (next === ' ' || next === '>')) return 'text/html; charset=utf-8';
  }
  if (trimmed.startsWith('<?xml')) return 'text/xml; charset=utf-8';
  if (head.startsWith('%PDF-')) return 'application/pdf';
  if (/[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]/.test(head)) return 'application/octet-stream';
  return 'text/plain; charset=utf-8';
}

export class AlbedoBackend {
  private readonly now: () => Date;

  constructor(options: AlbedoOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  private respond(status: number, headers: Array<[string, string]>, body: string): BackendResponse {
    const out: Array<[string, string]> = [...headers];
    const has = (n: string): boolean => out.some(([k]) => k.toLowerCase() === n);
    if (body !== '' && !has('content-type')) out.push(['Content-Type', sniffContentType(body)]);
    out.push(['Date', this.now().toUTCString()]);
    if (!has('content-length')) out.push(['Content-Length', String(body.length)]);
    return { status, protocol: 'HTTP/1.1', headers: out, body };
  }

  handle(request: ParsedHttpRequest): BackendResponse {
    const path = pathOf(request.uri);
    if (request.method === 'POST' && (path === '/reflect' || path.startsWith('/reflect/'))) return this.reflect(request.body);
    if (path === '/capabilities' || path === '/capabilities/') {
      return this.respond(200, [['Content-Type', 'application/json']], '{"endpoints":[{"path":"/*"},{"path":"/capabilities"},{"path":"/reflect"}]}');
    }
    return this.respond(200, [], '');
  }

  private reflect(requestBody: string): BackendResponse {
    const spec = decodeSpec(requestBody);
    if (!spec) return this.respond(400, [], 'Invalid JSON in request body');
    if ((spec.status > 0 && spec.status < 100) || spec.status >= 600) {
      return this.respond(400, spec.headers, `Invalid status code: ${spec.status}`);
    }
    // Go's WriteHeader panics on a negative code; the proxy in front then answers 502.
    if (spec.status < 0) return this.respond(502, [], '');
    const status = spec.status === 0 ? 200 : spec.status;
    let body = spec.body !== '' ? Buffer.from(spec.body, 'utf8').toString('latin1') : '';
    if (body === '' && spec.encodedBody !== '') {
      const clean = spec.encodedBody;
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 !== 0) {
        // The status line is already written when decoding fails, so the client sees the reflected status.
        return this.respond(status, spec.headers, 'invalid base64 encoding of response body');
      }
      body = Buffer.from(clean, 'base64').toString('latin1');
    }
    return this.respond(status, spec.headers, body);
  }
}

/** A stateless albedo for callers that want a plain function. */
export function albedo(request: ParsedHttpRequest): BackendResponse {
  return new AlbedoBackend().handle(request);
}
