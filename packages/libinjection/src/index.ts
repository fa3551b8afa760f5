/**
 * libinjection's SQLi and XSS detectors, written in TypeScript from the algorithm description and
 * data staged in `shared/libinjection` (keyword, fingerprint and name tables are generated into
 * `src/data/` by `scripts/generate-data.js`; licences in `LICENSE-THIRD-PARTY.md`).
 *
 * Inputs are bytes held as latin1 strings (one char per byte), i.e. the UTF-8 bytes of the value
 * after transformations, as ModSecurity sees them.
 *
 * Behaviour choices (all conformance goldens match with them):
 * - "1.e" numbers produce no token (libinjection v4 / Coraza); `{ legacyExponent: true }` gives v3.
 * - `on*` attributes: prefix match against the union of libinjection's and libinjection-go's event
 *   names; `{ eventNames: EVENT_NAMES_LIBINJECTION }` gives ModSecurity v3.0.13's list.
 * - Byte 0xFF is an ordinary byte in the HTML tokenizer (the C signed-char end-of-input is a bypass).
 * - The SQLi signed-char quirks (q-string delimiter, `1c` whitelist) and the `strchr` NUL quirks
 *   are kept, so fingerprints equal ModSecurity's.
 *
 * Used by the engine's operators, for example:
 * @example SecRule ARGS "@detectSQLi" "id:942100,phase:2,block,capture,t:none,t:urlDecodeUni,t:removeNulls,msg:'SQLi',logdata:'%{TX.0}'"
 * @example SecRule ARGS "@detectXSS" "id:941100,phase:2,block,t:none,t:urlDecodeUni,t:htmlEntityDecode,t:removeNulls"
 */
export { detectSqli, CONTEXT_DOUBLE_MYSQL, CONTEXT_NONE_ANSI, CONTEXT_NONE_MYSQL, CONTEXT_SINGLE_ANSI, CONTEXT_SINGLE_MYSQL } from './sqli-detect';
export type { SqliResult } from './sqli-detect';
export { isSqliFingerprint, sqliFingerprint } from './sqli-fingerprint';
export type { SqliFingerprint } from './sqli-fingerprint';
export { foldBudgetExhaustions, foldTokens, MAX_FOLDED_TOKENS, TOKEN_SLOTS } from './sqli-fold';
export { isBlacklistedFingerprint, lookupWord } from './sqli-keywords';
export { SqliToken, TOKEN_VALUE_MAX } from './sqli-token';
export { SqliTokenizer } from './sqli-tokenizer';
export type { SqliContext, SqliOptions } from './sqli-tokenizer';
export { Html5Tokenizer } from './html5-tokenizer';
export type { Html5Context, Html5TokenType } from './html5-tokenizer';
export { classifyAttribute, detectXss, isBlackTag, isBlackUrl, isXssInContext, XSS_CONTEXTS } from './xss-detect';
export type { AttrClass, XssOptions } from './xss-detect';
export { EVENT_NAMES_LIBINJECTION, EVENT_NAMES_UNION } from './data/xss-data';
export { toByteString } from './latin1';
