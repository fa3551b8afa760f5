import { parentPort, workerData } from 'node:worker_threads';
import { CompileMemo } from '@rampart/engine';
import { AgentErrorCode } from './agent-error';
import { compileRules, RulesLoadError } from './compile-rules';
import { RulesRunner } from './rules-runner';
import { errorVerdict } from './verdict';
import { asBuffer, type FromWorker, type ToWorker, type WorkerInit } from './worker-protocol';

/**
 * An inspection worker thread: compiles its own copy of the rules (a compiled WAF cannot be shared between
 * threads; the costly structures can, through the compile memo the pool hands over), then answers request/response inspections posted by the main thread, which owns the sockets.
 */
function main(): void {
  const port = parentPort;
  if (port === null) throw new Error('worker-entry must run in a worker thread');
  const post = (m: FromWorker): void => port.postMessage(m);
  const init = workerData as WorkerInit;
  let runner: RulesRunner;
  let rules: ReturnType<typeof compileRules>;
  const memo = new CompileMemo({ shared: true, ...(init.memo ? { entries: init.memo } : {}) });
  try {
    rules = compileRules(init.rules, {
      memo,
      onLogError: (message) => post({ t: 'event', event: { kind: 'log-error', message } }),
      onStoreError: (code, message) => post({ t: 'event', event: { kind: 'store-error', code, message } }),
    });
    runner = new RulesRunner(rules, { lateLog: (lines) => post({ t: 'late-log', lines }), lateTrace: (record) => post({ t: 'late-trace', record }) });
  } catch (e) {
    const problems = e instanceof RulesLoadError ? [...e.problems] : [{ app: '-', message: e instanceof Error ? e.message : String(e) }];
    post({ t: 'failed', problems });
    return;
  }
  // Ready once the Redis collections answer (or their connect timeout passed, which the store reports): the
  // first requests should not run without their collections only because the connection was still opening.
  const store = rules.collections?.store;
  void (store ? store.whenConnected(store.connectTimeoutMs) : Promise.resolve(true)).then(() =>
    post({ t: 'ready', ruleCount: rules.ruleCount, warnings: rules.warnings, compileMs: rules.compileMs, memo: [...memo.usedEntries()], memoBuilt: memo.built }),
  );
  const deadline = init.queueDeadlineMs;
  port.on('message', (m: ToWorker) => {
    if (m.t !== 'close' && deadline > 0) {
      // HAProxy stopped waiting after its `timeout processing`: inspecting now would only delay the
      // requests queued behind this one (overload collapse), so it is answered at once as shed.
      const waited = Date.now() - m.sentAt;
      if (waited > deadline) {
        post({ t: 'verdict', n: m.n, verdict: errorVerdict(AgentErrorCode.Overloaded, `queued ${waited} ms (> ${deadline} ms): not inspected`) });
        return;
      }
    }
    switch (m.t) {
      case 'request':
        m.input.body = asBuffer(m.input.body);
        void runner.inspectRequest(m.input).then((verdict) => post({ t: 'verdict', n: m.n, verdict }));
        break;
      case 'response':
        m.input.body = asBuffer(m.input.body);
        void runner.inspectResponse(m.input).then((verdict) => post({ t: 'verdict', n: m.n, verdict }));
        break;
      case 'close':
        void runner.close().then(() => {
          post({ t: 'closed' });
          port.close();
        });
        break;
    }
  });
}

main();
