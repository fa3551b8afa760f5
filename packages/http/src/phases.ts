import type { Interruption, Transaction, Waf } from '@rampart/engine';

type Outcome = Interruption | undefined | Promise<Interruption | undefined>;

/** Per rule set: which phases hold a rule with an asynchronous operator (`@rbl`), index = phase. */
const asyncPhasesOf = new WeakMap<Waf, readonly boolean[]>();

function asyncPhases(waf: Waf): readonly boolean[] {
  let phases = asyncPhasesOf.get(waf);
  if (phases === undefined) {
    phases = [0, 1, 2, 3, 4, 5].map((p) => waf.rulesForPhase(p).some((rule) => rule.hasAsyncOperator));
    asyncPhasesOf.set(waf, phases);
  }
  return phases;
}

/**
 * The phase calls of a transaction, synchronous unless the phase has a rule that needs DNS (`@rbl`): most rule sets
 * (CRS included) never pay for a promise per phase, and those that use `@rbl` still work.
 */
export const phases = {
  requestHeaders(tx: Transaction): Outcome {
    return asyncPhases(tx.waf)[1] ? tx.processRequestHeadersAsync() : tx.processRequestHeaders();
  },
  requestBody(tx: Transaction): Outcome {
    return asyncPhases(tx.waf)[2] ? tx.processRequestBodyAsync() : tx.processRequestBody();
  },
  responseHeaders(tx: Transaction, status: number, protocol: string): Outcome {
    return asyncPhases(tx.waf)[3] ? tx.processResponseHeadersAsync(status, protocol) : tx.processResponseHeaders(status, protocol);
  },
  responseBody(tx: Transaction): Outcome {
    return asyncPhases(tx.waf)[4] ? tx.processResponseBodyAsync() : tx.processResponseBody();
  },
  logging(tx: Transaction): void | Promise<void> {
    return asyncPhases(tx.waf)[5] ? tx.processLoggingAsync() : tx.processLogging();
  },
};

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}
