import { DEFAULT_CONNECTION, RequestInputError, utf8Latin1, type HttpRequest } from './http-request';

/** The parts of a HAR 1.2 request that make up the request bytes. */
interface HarRequest {
  method?: unknown;
  url?: unknown;
  httpVersion?: unknown;
  headers?: unknown;
  postData?: { mimeType?: unknown; text?: unknown; params?: unknown; encoding?: unknown };
}

interface HarEntry {
  request?: HarRequest;
  serverIPAddress?: unknown;
}

/** One entry of a HAR file, for listing: its 1-based number, method and URL. */
export interface HarEntrySummary {
  number: number;
  method: string;
  url: string;
}

function entriesOf(har: unknown): HarEntry[] {
  const entries = (har as { log?: { entries?: unknown } } | null)?.log?.entries;
  if (!Array.isArray(entries)) throw new RequestInputError('not a HAR file: no log.entries array');
  return entries as HarEntry[];
}

/** The entries of a HAR file (parsed JSON), numbered from 1 as `--entry` takes them. */
export function listHarEntries(har: unknown): HarEntrySummary[] {
  return entriesOf(har).map((e, i) => ({ number: i + 1, method: String(e.request?.method ?? '?'), url: String(e.request?.url ?? '?') }));
}

/** Whether parsed JSON looks like a HAR file. */
export function isHar(json: unknown): boolean {
  return Array.isArray((json as { log?: { entries?: unknown } } | null)?.log?.entries);
}

/** HAR's `httpVersion` (`HTTP/1.1`, `http/2.0`, `h2`, `h3`) as a request line's protocol. */
function protocolOf(v: unknown): string {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  if (s === 'h2' || s === 'http/2' || s === 'http/2.0') return 'HTTP/2.0';
  if (s === 'h3' || s === 'http/3' || s === 'http/3.0') return 'HTTP/3.0';
  if (s === 'http/1.0') return 'HTTP/1.0';
  return 'HTTP/1.1';
}

/** The form-urlencoding browsers use for `postData.params` (space as `+`). */
function formEncode(s: string): string {
  return encodeURIComponent(s).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The request of one HAR entry (`number` from 1; required when the file has more than one): method, the URL's
 * path and query as the browser sent them, the headers in order (HTTP/2 pseudo-headers dropped, `:authority`
 * becoming `Host` when there is none), and the body from `postData.text` (or its `params`, form-encoded). Text in
 * a HAR file is Unicode: the engine gets its UTF-8 bytes, as the browser sent them.
 *
 * @example requestFromHar(JSON.parse(fs.readFileSync('session.har', 'utf8')), 3)
 */
export function requestFromHar(har: unknown, number?: number): HttpRequest {
  const entries = entriesOf(har);
  if (entries.length === 0) throw new RequestInputError('the HAR file has no entries');
  if (number === undefined && entries.length > 1) {
    const list = listHarEntries(har).slice(0, 30).map((e) => `  ${e.number}: ${e.method} ${e.url}`).join('\n');
    throw new RequestInputError(`the HAR file has ${entries.length} entries: choose one with --entry N\n${list}${entries.length > 30 ? '\n  ...' : ''}`);
  }
  const n = number ?? 1;
  const entry = entries[n - 1];
  if (entry === undefined || n < 1) throw new RequestInputError(`the HAR file has no entry ${n} (it has ${entries.length})`);
  const req = entry.request;
  if (req === undefined || typeof req.url !== 'string') throw new RequestInputError(`HAR entry ${n} has no request URL`);
  const notes: string[] = [];
  const url = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^#]*)/.exec(req.url);
  if (!url) throw new RequestInputError(`HAR entry ${n}: cannot read the URL ${JSON.stringify(req.url)}`);
  const scheme = url[1]!.toLowerCase();
  const authority = url[2]!;
  const target = url[3] === '' ? '/' : url[3]!.startsWith('/') ? url[3]! : `/${url[3]!}`;
  const headers: Array<[string, string]> = [];
  let pseudoAuthority: string | undefined;
  for (const h of Array.isArray(req.headers) ? (req.headers as Array<{ name?: unknown; value?: unknown }>) : []) {
    if (typeof h?.name !== 'string') continue;
    const value = typeof h.value === 'string' ? h.value : String(h.value ?? '');
    if (h.name.startsWith(':')) {
      if (h.name === ':authority') pseudoAuthority = value;
      continue;
    }
    headers.push([h.name, utf8Latin1(value)]);
  }
  if (!headers.some(([name]) => name.toLowerCase() === 'host')) headers.unshift(['Host', pseudoAuthority ?? authority]);
  let body = '';
  const post = req.postData;
  if (post !== undefined) {
    if (typeof post.text === 'string') body = post.encoding === 'base64' ? Buffer.from(post.text, 'base64').toString('latin1') : utf8Latin1(post.text);
    else if (Array.isArray(post.params)) {
      body = (post.params as Array<{ name?: unknown; value?: unknown }>).map((p) => `${formEncode(String(p.name ?? ''))}=${formEncode(String(p.value ?? ''))}`).join('&');
      notes.push('the body was rebuilt from postData.params (the HAR entry has no postData.text)');
    }
    if (body.length > 0 && !headers.some(([name]) => name.toLowerCase() === 'content-type') && typeof post.mimeType === 'string' && post.mimeType !== '') {
      headers.push(['Content-Type', post.mimeType]);
    }
  }
  const hasLength = headers.some(([name]) => name.toLowerCase() === 'content-length' || name.toLowerCase() === 'transfer-encoding');
  if (body.length > 0 && !hasLength) {
    headers.push(['Content-Length', String(body.length)]);
    notes.push('Content-Length added (the HAR entry did not list it)');
  }
  const port = /:(\d+)$/.exec(authority);
  const serverIp = typeof entry.serverIPAddress === 'string' && entry.serverIPAddress !== '' ? entry.serverIPAddress.replace(/^\[|\]$/g, '') : DEFAULT_CONNECTION.serverIp;
  return {
    method: typeof req.method === 'string' && req.method !== '' ? req.method : 'GET',
    target,
    protocol: protocolOf(req.httpVersion),
    headers,
    body,
    connection: { ...DEFAULT_CONNECTION, serverIp, serverPort: port ? Number(port[1]) : scheme === 'https' ? 443 : 80 },
    notes,
  };
}
