import { createWaf } from '@rampart/engine';
import type { CrsConfig } from '@rampart/rules-crs4';
import type { InProcessWaf } from './types';

/**
 * A module that builds the WAF under test for in-process runs. `conformance --waf MODULE` loads MODULE and calls
 * its `createInProcessWaf(config)` with the `crs-ci` configuration.
 */
export interface WafFactoryModule {
  createInProcessWaf(config: CrsConfig): Promise<InProcessWaf> | InProcessWaf;
}

/**
 * The default in-process WAF: the Rampart engine, compiled once from the configuration, one transaction per
 * request through all five phases, with the emulated backend called between the request and response phases
 * unless the WAF interrupted. Log lines are collected per transaction, so no markers are needed.
 */
export function createEngineWaf(config: CrsConfig): Promise<InProcessWaf> {
  const waf = createWaf({ directives: config.directives, baseDir: config.baseDir, onWarning: () => undefined });
  return Promise.resolve({
    async run(req, backend) {
      const tx = waf.newTransaction();
      const c = req.connection;
      tx.processConnection(c.clientIp, c.clientPort, c.serverIp, c.serverPort);
      tx.processUri(req.uri, req.method, req.protocol);
      for (const [name, value] of req.headers) tx.addRequestHeader(name, value);
      let it = await tx.processRequestHeadersAsync();
      if (!it) {
        if (req.body.length > 0) tx.appendRequestBody(req.body);
        it = await tx.processRequestBodyAsync();
      }
      let status: number;
      if (it) status = it.status;
      else {
        const res = backend(req);
        for (const [n, v] of res.headers) tx.addResponseHeader(n, v);
        it = await tx.processResponseHeadersAsync(res.status, res.protocol);
        if (!it) {
          if (res.body.length > 0) tx.appendResponseBody(res.body);
          it = await tx.processResponseBodyAsync();
        }
        status = it ? it.status : res.status;
      }
      await tx.processLoggingAsync();
      return { status, logLines: tx.logLines };
    },
  });
}
