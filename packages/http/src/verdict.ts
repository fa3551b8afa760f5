import type { Interruption, MatchedRule, Transaction } from '@rampart/engine';

/**
 * What the WAF made of a request, on `req.waf` (Fastify: `request.waf`) for the application: the transaction id
 * the logs carry, the rules that matched so far (in DetectionOnly mode, what would have been blocked), and the
 * engine's transaction for anything else (`transaction.collection('TX')` holds CRS's anomaly scores).
 */
export interface WafVerdict {
  readonly id: string;
  readonly transaction: Transaction;
  /** The rules (chains) that matched so far, in order. */
  readonly matchedRules: readonly MatchedRule[];
  /** Set when the WAF answered instead of the application (request phases) or replaced its response (response phases). */
  readonly interruption: Interruption | undefined;
  readonly blocked: boolean;
  /** A failure inside the WAF while inspecting this request, when `failure: 'open'` let it through anyway. */
  readonly error: unknown;
}

/** @internal the mutable verdict the guard fills in */
export class TransactionVerdict implements WafVerdict {
  interruption: Interruption | undefined = undefined;
  error: unknown = undefined;

  constructor(readonly transaction: Transaction) {}

  get id(): string {
    return this.transaction.id;
  }

  get matchedRules(): readonly MatchedRule[] {
    return this.transaction.matchedRules;
  }

  get blocked(): boolean {
    return this.interruption !== undefined;
  }
}
