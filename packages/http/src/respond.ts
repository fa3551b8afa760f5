import type { ServerResponse } from 'node:http';
import type { Interruption } from '@rampart/engine';
import type { BlockedRequest, ErrorPage, ResolvedGuardOptions } from './options';

/** The response methods as they were before the WAF hooked them, so its own answers are not inspected. */
export interface ResponseWriter {
  writeHead(this: ServerResponse, status: number, headers?: Record<string, string | number>): ServerResponse;
  end(this: ServerResponse, chunk?: unknown, encodingOrCb?: unknown, cb?: unknown): ServerResponse;
}

/** Drops the connection: ModSecurity's `drop`, and the answer when the headers are already on the wire. */
export function dropConnection(res: ServerResponse): void {
  res.socket?.destroy();
  res.destroy();
}

/**
 * Answers an interruption (or a fail-closed error when `interruption` is undefined): the rule's status with the
 * error page, a redirect to the rule's URL, or a dropped connection. Headers the application set are removed (a
 * Set-Cookie must not leave with the error page).
 */
export function answerInterruption(
  res: ServerResponse,
  writer: ResponseWriter,
  options: ResolvedGuardOptions,
  id: string,
  interruption: Interruption | undefined,
  status: number,
): void {
  if (interruption?.action === 'drop' || res.headersSent || res.writableEnded || res.destroyed) {
    dropConnection(res);
    return;
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name);
  const headers: Record<string, string | number> = { 'cache-control': 'no-store' };
  let body: string | Buffer;
  if (interruption?.action === 'redirect' && interruption.url !== undefined) {
    headers.location = interruption.url;
    body = '';
  } else {
    const blocked: BlockedRequest = { status, id, interruption };
    const page = toPage(options.errorPage(blocked));
    headers['content-type'] = page.contentType ?? 'text/html; charset=utf-8';
    body = page.body;
  }
  headers['content-length'] = Buffer.byteLength(body);
  res.statusMessage = '';
  writer.writeHead.call(res, status, headers);
  writer.end.call(res, res.req?.method === 'HEAD' ? undefined : body);
}

function toPage(page: ErrorPage | string): ErrorPage {
  return typeof page === 'string' ? { body: page } : page;
}
