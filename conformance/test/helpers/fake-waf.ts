import type { Backend, InProcessWaf, ParsedHttpRequest, WafRunResult } from '../../src';
import { markerLogLine, modsecLogLine } from './modsec-log';

/** A toy WAF for harness tests: a few hand-written checks that log ModSecurity-format lines. Not the engine. */
export interface FakeRule {
  readonly id: number;
  readonly msg: string;
  readonly test: (req: ParsedHttpRequest) => string | undefined;
}

function header(req: ParsedHttpRequest, name: string): string | undefined {
  return req.headers.find(([n]) => n.toLowerCase() === name)?.[1];
}

export const FAKE_RULES: readonly FakeRule[] = [
  {
    id: 920100,
    msg: 'Invalid HTTP Request Line',
    test: (r) => (/^[A-Z]+$/.test(r.method) ? undefined : `Matched Data: ${r.requestLine} found within REQUEST_LINE: ${r.requestLine}`),
  },
  {
    id: 920430,
    msg: 'HTTP protocol version is not allowed by policy',
    test: (r) => (['HTTP/1.0', 'HTTP/1.1', 'HTTP/2', 'HTTP/2.0'].includes(r.protocol) ? undefined : `${r.protocol}`),
  },
  {
    id: 942100,
    msg: 'SQL Injection Attack Detected via libinjection',
    test: (r) => {
      const m = /\bor\b(?:\s|\+|%20)+\d+(?:=|%3D)\d+/i.exec(`${r.uri} ${r.body}`);
      return m ? `Matched Data: ${m[0]} found within ARGS:var: ${m[0]}` : undefined;
    },
  },
];

export class FakeWaf implements InProcessWaf {
  calls = 0;

  constructor(private readonly rules: readonly FakeRule[] = FAKE_RULES) {}

  run(req: ParsedHttpRequest, backend: Backend): Promise<WafRunResult> {
    this.calls++;
    const logLines: string[] = [];
    const marker = header(req, 'x-crs-test');
    if (marker !== undefined) {
      // The marker rule's ctl:ruleRemoveById=1-999999: nothing else logs for a marker request.
      logLines.push(markerLogLine(marker));
    } else {
      for (const rule of this.rules) {
        const data = rule.test(req);
        if (data !== undefined) logLines.push(modsecLogLine({ id: rule.id, msg: rule.msg, data, uri: req.uri.split('?')[0] ?? '/' }));
      }
    }
    const response = backend(req);
    return Promise.resolve({ status: response.status, logLines, responseHeaders: response.headers, responseBody: response.body });
  }
}

/** Logs nothing and passes everything through: what a WAF with no rules does. */
export class NullWaf implements InProcessWaf {
  calls = 0;

  run(req: ParsedHttpRequest, backend: Backend): Promise<WafRunResult> {
    this.calls++;
    return Promise.resolve({ status: backend(req).status, logLines: [] });
  }
}
