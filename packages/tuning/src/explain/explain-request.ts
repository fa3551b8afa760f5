import type { Waf } from '@rampart/engine';
import type { HttpRequest } from '../request/http-request';
import type { ExplainRecord } from './explain-record';
import { ExplainRecorder, type ExplainOptions } from './explain-recorder';

/**
 * Runs one request through `waf` with its evaluation traced, the way the agent runs it: connection, request
 * line, headers, phase 1, body, phase 2; the response phases (3, 4) when the request carries a response and was
 * not interrupted; then logging (phase 5). Nothing is evaluated twice: the record is the trace of that run.
 *
 * @example
 * const record = await explainRequest(waf, requestFromRaw(fs.readFileSync('req.txt', 'latin1')));
 * console.log(formatExplainText(record));
 */
export async function explainRequest(waf: Waf, request: HttpRequest, options: ExplainOptions = {}): Promise<ExplainRecord> {
  const recorder = new ExplainRecorder(options);
  const tx = waf.newTransaction({ ...(request.id !== undefined ? { id: request.id } : {}), trace: recorder });
  const c = request.connection;
  tx.processConnection(c.clientIp, c.clientPort, c.serverIp, c.serverPort);
  tx.processUri(request.target, request.method, request.protocol);
  for (const [name, value] of request.headers) tx.addRequestHeader(name, value);
  let it = await tx.processRequestHeadersAsync();
  if (it === undefined) {
    if (request.body.length > 0) tx.appendRequestBody(request.body);
    it = await tx.processRequestBodyAsync();
  }
  const res = request.response;
  if (it === undefined && res !== undefined) {
    for (const [name, value] of res.headers) tx.addResponseHeader(name, value);
    it = await tx.processResponseHeadersAsync(res.status, res.protocol);
    if (it === undefined) {
      if (res.body.length > 0) tx.appendResponseBody(res.body);
      await tx.processResponseBodyAsync();
    }
  }
  await tx.processLoggingAsync();
  return recorder.record(tx, request);
}
