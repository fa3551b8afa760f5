import { AlbedoBackend } from './albedo';
import { DEFAULT_CONNECTION, parseHttpRequest } from './front-end';
import type { StageObservation } from './judge';
import type { ConnectionInfo, InProcessWaf } from './types';

export interface InProcessStageResult {
  readonly observation: StageObservation;
  readonly logLines: readonly string[];
  /** Set when the front end answered by itself or gave no response: the WAF never saw the request. */
  readonly frontEnd?: string;
}

const REASONS: Record<number, string> = { 200: 'OK', 301: 'Moved Permanently', 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 500: 'Internal Server Error', 502: 'Bad Gateway' };

function rawResponse(status: number, headers: ReadonlyArray<readonly [string, string]>, body: string): string {
  const head = [`HTTP/1.1 ${status} ${REASONS[status] ?? ''}`.trimEnd(), ...headers.map(([n, v]) => `${n}: ${v}`)].join('\r\n');
  return `${head}\r\n\r\n${body}`.slice(0, 4096);
}

/**
 * In-process mode, no sockets: raw request bytes -> the emulated front end -> the WAF (which calls the emulated
 * backend) -> what the client would see, and the log lines of that one transaction (no markers needed).
 */
export async function runInProcessStage(
  waf: InProcessWaf,
  requestBytes: string,
  backend: AlbedoBackend,
  connection: ConnectionInfo = DEFAULT_CONNECTION,
): Promise<InProcessStageResult> {
  const front = parseHttpRequest(requestBytes, connection);
  if (front.kind === 'response') {
    return { observation: { kind: 'response', status: front.status, rawResponse: rawResponse(front.status, [], '') }, logLines: [], frontEnd: `${front.status}: ${front.reason}` };
  }
  if (front.kind === 'no-response') {
    return { observation: { kind: 'error', message: front.reason }, logLines: [], frontEnd: `no response: ${front.reason}` };
  }
  const result = await waf.run(front.request, (req) => backend.handle(req));
  return {
    observation: { kind: 'response', status: result.status, rawResponse: rawResponse(result.status, result.responseHeaders ?? [], result.responseBody ?? '') },
    logLines: [...result.logLines],
  };
}
