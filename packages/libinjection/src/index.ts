export { detectSqli, CONTEXT_DOUBLE_MYSQL, CONTEXT_NONE_ANSI, CONTEXT_NONE_MYSQL, CONTEXT_SINGLE_ANSI, CONTEXT_SINGLE_MYSQL } from './sqli-detect';
export type { SqliResult } from './sqli-detect';
export { isSqliFingerprint, sqliFingerprint } from './sqli-fingerprint';
export type { SqliFingerprint } from './sqli-fingerprint';
export { foldBudgetExhaustions, foldTokens, MAX_FOLDED_TOKENS, TOKEN_SLOTS } from './sqli-fold';
export { isBlacklistedFingerprint, lookupWord } from './sqli-keywords';
export { SqliToken, TOKEN_VALUE_MAX } from './sqli-token';
export { SqliTokenizer } from './sqli-tokenizer';
export type { SqliContext, SqliOptions } from './sqli-tokenizer';
