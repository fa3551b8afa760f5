import { requestFromCurl, splitCommandLine } from './curl-command';
import { isHar, requestFromHar } from './har-entry';
import { RequestInputError, type Connection, type HttpRequest } from './http-request';
import { requestFromRaw } from './raw-request';

/** How `requestFromText` read its input. */
export type RequestTextKind = 'raw' | 'curl' | 'har';

export interface RequestFromTextOptions {
  /** For a HAR file: the entry, from 1. */
  entry?: number;
  /** Where a curl command's `@file` arguments are read from. */
  cwd?: string;
  /** For a raw request or curl command (HAR and audit records carry their own). */
  connection?: Connection;
}

/** Whether the bytes start like a curl command (`curl ...`, possibly after blank lines or a `$ ` prompt). */
function looksLikeCurl(text: string): boolean {
  return /^\s*(?:\$\s+)?curl\s/.test(text);
}

/**
 * A request from the bytes of a file or of standard input, told apart by their content: a curl command line
 * (`curl ...`), a HAR file (JSON with `log.entries`), otherwise a raw HTTP request.
 *
 * @example requestFromText(fs.readFileSync('req.txt')).request.target
 */
export function requestFromText(bytes: Buffer, options: RequestFromTextOptions = {}): { request: HttpRequest; kind: RequestTextKind } {
  const latin1 = bytes.toString('latin1');
  if (looksLikeCurl(latin1)) {
    // The command line is text (UTF-8); requestFromCurl turns its values into bytes.
    const argv = splitCommandLine(bytes.toString('utf8').replace(/^\s*\$\s+/, ''));
    return { request: requestFromCurl(argv, { ...(options.cwd !== undefined ? { cwd: options.cwd } : {}), ...(options.connection ? { connection: options.connection } : {}) }), kind: 'curl' };
  }
  if (/^\s*\{/.test(latin1)) {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      json = undefined;
    }
    if (json !== undefined && isHar(json)) return { request: requestFromHar(json, options.entry), kind: 'har' };
    if (json !== undefined) throw new RequestInputError('the input is JSON but not a HAR file (no log.entries); for a JSON audit log give --audit-log FILE --id ID');
  }
  if (options.entry !== undefined) throw new RequestInputError('--entry applies to HAR files only');
  return { request: requestFromRaw(latin1, options.connection), kind: 'raw' };
}
