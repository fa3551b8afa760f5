/** The audit log (ModSecurity Native and JSON formats, Serial and Concurrent) and the debug log. */
export { createAuditLogger, type AuditLogger, type AuditLoggerOptions, type AuditResult } from './audit-logger';
export { AppendFile } from './append-file';
export { createDebugLogger, type DebugLogger, type DebugLoggerOptions } from './debug-log';
export { debugMessages } from './debug-messages';
export { formatNativeRecord, newBoundary, type NativeFormatOptions } from './native-format';
export { formatNativeV2Record, newV2Boundary, interceptPhase, type NativeV2FormatOptions } from './native-v2-format';
export { parseNativeRecord, parseNativeLog, splitNativeLog, AuditLogParseError, type NativeAuditRecord } from './native-parse';
export { formatJsonRecord, jsonString, parseJsonRecord, parseJsonLog, type JsonAuditRecord, type JsonAuditMessage, type JsonFormatOptions } from './json-format';
export { formatMatchMessage, formatRuleMessage, limitTo, loggedRuleMessages, ruleMessageContext, toHexIfNeeded, type RuleMessageContext, type RuleMessageFields } from './rule-message';
export { collectAuditData, formUrlEncode, type AuditData, type AuditHeader, type AuditUpload } from './record-data';
export { isRelevant, compileRelevantStatus } from './relevance';
export { formatIndexLine } from './concurrent-index';
export { formatV2IndexLine } from './concurrent-v2-index';
export { encodeRecord } from './encoding';
export { RuleTextSource } from './rule-text';
