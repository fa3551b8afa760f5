import type { IncomingMessage } from 'node:http';

export type BodyReadOutcome =
  /** The whole body was read and handed back to the request stream. */
  | 'complete'
  /** More than `limit` bytes came: reading stopped, what was read was handed back, the rest is still unread. */
  | 'limit'
  /** The client went away (or the stream failed) before the body was complete. */
  | 'aborted';

/** Whether the request announces a body (HTTP/1.1: a Content-Length other than 0, or a Transfer-Encoding). */
export function hasRequestBody(req: IncomingMessage): boolean {
  const te = req.headers['transfer-encoding'];
  if (te !== undefined) return true;
  const cl = req.headers['content-length'];
  return cl !== undefined && cl !== '0';
}

/** Whether someone read (or started reading) the body before us: then we cannot inspect it. */
export function bodyAlreadyConsumed(req: IncomingMessage): boolean {
  return req.readableEnded || req.readableFlowing === true || req.listenerCount('data') > 0;
}

/**
 * Reads the request body for the WAF without taking it from the application. The chunks are read in paused mode
 * (`'readable'` + `read()`), passed to `onChunk`, and pushed back with `unshift()` once the body is complete or
 * past `limit`, so the application's body parser later reads the same bytes from the same stream, and the rest of a
 * body over the limit streams to it as usual. Only Readable's public API is used; Node documents `unshift` for
 * exactly this (a parser that gives back what it consumed), and it does not emit `'end'` for data given back.
 *
 * Memory: at most `limit` bytes (plus one socket read) are held, as ModSecurity holds SecRequestBodyLimit.
 */
export function readRequestBody(req: IncomingMessage, limit: number, onChunk: (chunk: Buffer) => void): Promise<BodyReadOutcome> {
  return new Promise((resolve) => {
    const held: Buffer[] = [];
    let bytes = 0;
    let settled = false;

    const settle = (outcome: BodyReadOutcome): void => {
      if (settled) return;
      settled = true;
      req.removeListener('readable', onReadable);
      req.removeListener('close', onClose);
      req.removeListener('error', onError);
      if (outcome !== 'aborted') {
        // unshift puts each chunk in front of the buffer: last chunk first keeps the order.
        for (let i = held.length - 1; i >= 0; i--) req.unshift(held[i]);
      }
      held.length = 0;
      resolve(outcome);
    };

    // Drains what the stream buffered. read() is called only while bytes are buffered: on an ended stream, a read
    // that finds nothing would schedule 'end', which the application (who has not started reading) would miss.
    const drain = (): boolean => {
      while (req.readableLength > 0) {
        const chunk = req.read() as Buffer | string | null;
        if (chunk === null) break;
        const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
        held.push(buf);
        bytes += buf.length;
        onChunk(buf);
        if (bytes > limit) {
          settle('limit');
          return true;
        }
      }
      if (req.complete) {
        settle('complete');
        return true;
      }
      return false;
    };

    function onReadable(): void {
      drain();
    }
    function onClose(): void {
      // 'close' before the body was complete: the client aborted (IncomingMessage emits it on abort).
      if (!req.complete) settle('aborted');
      else drain();
    }
    function onError(): void {
      settle('aborted');
    }

    if (drain()) return;
    req.on('readable', onReadable);
    req.on('close', onClose);
    req.on('error', onError);
  });
}
