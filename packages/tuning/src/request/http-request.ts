/** Where a request came from and went to (REMOTE_ADDR, SERVER_ADDR and their ports). */
export interface Connection {
  clientIp: string;
  clientPort: number;
  serverIp: string;
  serverPort: number;
}

/** A response to inspect in phases 3 and 4 (an audit record's sections F and E). */
export interface HttpResponse {
  status: number;
  protocol: string;
  headers: Array<[string, string]>;
  /** Bytes as a latin1 string. */
  body: string;
}

/**
 * One HTTP request as the engine takes it, whichever input described it (a raw request, a curl command line, a
 * HAR entry, an audit-log record). Strings hold bytes (latin1: one char per byte), as the engine wants them.
 */
export interface HttpRequest {
  method: string;
  /** The request target as it was on the request line, not decoded (`/search?q=%27`). */
  target: string;
  /** `HTTP/1.1`. */
  protocol: string;
  /** In arrival order; a repeated name stays repeated (as HAProxy passes them to the agent). */
  headers: Array<[string, string]>;
  body: string;
  connection: Connection;
  /** The transaction id, when the input had one (an audit record's). */
  id?: string;
  response?: HttpResponse;
  /** What the reader had to assume or leave out, for the user to read (`no Content-Length: ...`). */
  notes: string[];
}

/** The connection of a request that names none: a local client, as a test client would be. */
export const DEFAULT_CONNECTION: Readonly<Connection> = Object.freeze({ clientIp: '127.0.0.1', clientPort: 50000, serverIp: '127.0.0.1', serverPort: 80 });

/** A request input that cannot be used: a clear message, exit code 2 for the CLI. */
export class RequestInputError extends Error {
  readonly code = 'request-input';
}

/** Text as the bytes of its UTF-8 encoding, one char per byte (how the engine takes strings). */
export function utf8Latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** The first header of that name (case-insensitive). */
export function headerValue(headers: ReadonlyArray<readonly [string, string]>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}
