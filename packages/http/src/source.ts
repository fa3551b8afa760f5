import type { NewTransactionOptions, Transaction } from '@rampart/engine';

/**
 * Where the middleware gets its transactions: an engine `Waf` (from `createWaf` of @rampart/engine), or a WAF that
 * can reload its rules (`createWaf` of @rampart/waf), which wants to know when a transaction is over so that it can
 * release the rules it replaced once their last transaction ended.
 */
export interface TransactionSource {
  newTransaction(options?: NewTransactionOptions): Transaction;
  /** Called once per transaction, after its logging phase (or after it was abandoned). */
  transactionEnded?(tx: Transaction): void;
}
