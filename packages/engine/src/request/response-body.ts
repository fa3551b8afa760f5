import { BodyBuffer } from '../body/body-buffer';
import type { Interruption } from '../interruption';
import type { Transaction } from '../transaction';
import { debugLevel, debugLine } from '../trace/debug-lines';

/**
 * Phase 4 input: buffers the response body under SecResponseBodyLimit when SecResponseBodyAccess is on and
 * the Content-Type is one of SecResponseBodyMimeType, then exposes it as RESPONSE_BODY.
 */
export class ResponseBodyProcessing {
  private buffer: BodyBuffer | undefined;

  constructor(private readonly tx: Transaction) {}

  isProcessable(): boolean {
    return this.tx.settings.responseBodyAccess && this.mimeListed();
  }

  /**
   * Whether phase 4 rules run, as libmodsecurity v3 decides it (Transaction::processResponseBody): only with
   * SecResponseBodyAccess On, and, once SecResponseBodyMimeType (or ...TypesClear) was given, only for the listed
   * Content-Types. Without that directive v3 runs them for every type; the body itself is buffered only for the
   * types of Rampart's list (text/plain and text/html by default).
   */
  runsPhase4(): boolean {
    return this.tx.settings.responseBodyAccess && (!this.tx.waf.settings.responseBodyMimeTypesSet || this.mimeListed());
  }

  private mimeListed(): boolean {
    const tx = this.tx;
    const ct = tx.vars.get('RESPONSE_CONTENT_TYPE');
    // ModSecurity inspects bodies without a Content-Type only when the list is empty... it never does: v3 skips them.
    if (ct === undefined) return false;
    const mime = ct.split(';')[0]!.trim().toLowerCase();
    return tx.waf.settings.responseBodyMimeTypes.includes(mime);
  }

  /** The response body as buffered (only when it is inspected), for the audit log. */
  text(): string {
    return this.buffer ? this.buffer.toLatin1() : '';
  }

  /** Bytes of a body that is not inspected, counted for SecResponseBodyLimitAction Reject. */
  private uninspected = 0;

  append(chunk: string): void {
    if (!this.isProcessable()) {
      // libmodsecurity v3 (transaction.cc appendResponseBody) checks the limit of a listed type even when
      // SecResponseBodyAccess is off: a Reject limit still answers 403.
      if (this.tx.waf.settings.responseBodyLimitAction === 'Reject' && this.mimeListed()) this.uninspected += chunk.length;
      return;
    }
    if (!this.buffer) this.buffer = new BodyBuffer({ limit: this.tx.settings.responseBodyLimit });
    this.buffer.append(chunk);
  }

  process(): Interruption | undefined {
    const tx = this.tx;
    if (this.uninspected > tx.settings.responseBodyLimit) {
      tx.vars.set('OUTBOUND_DATA_ERROR', '1');
      return this.reject();
    }
    if (tx.settings.responseBodyAccess && !this.mimeListed() && debugLevel(tx) >= 5) {
      const ct = tx.vars.get('RESPONSE_CONTENT_TYPE') ?? '';
      debugLine(tx, 5, `Response Content-Type is ${ct.split(';')[0]}. It is not marked to be inspected.`);
      debugLine(tx, 8, `Content-Type(s) marked to be inspected: ${tx.waf.settings.responseBodyMimeTypes.map((t) => `${t} `).join('')}`);
    }
    if (!this.buffer || !this.isProcessable()) return undefined;
    const body = this.buffer.toLatin1();
    if (this.buffer.limitExceeded) {
      tx.vars.set('OUTBOUND_DATA_ERROR', '1');
      if (tx.waf.settings.responseBodyLimitAction === 'Reject') {
        const it = this.reject();
        if (it) return it;
      }
    }
    tx.vars.set('RESPONSE_BODY', body);
    if (!tx.vars.has('RESPONSE_CONTENT_LENGTH')) tx.vars.set('RESPONSE_CONTENT_LENGTH', String(this.buffer.receivedLength));
    return undefined;
  }

  private reject(): Interruption | undefined {
    const tx = this.tx;
    const line = `ModSecurity: Response body too large (over limit of ${tx.settings.responseBodyLimit}). [unique_id "${tx.id}"]`;
    tx.log(line);
    if (tx.settings.ruleEngine !== 'On') return undefined;
    // 403 as libmodsecurity v3 answers (transaction.cc appendResponseBody); v2 answered 500.
    tx.interruption = { status: 403, ruleId: 0, action: 'deny', log: line };
    return tx.interruption;
  }
}
