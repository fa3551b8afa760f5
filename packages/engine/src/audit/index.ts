/** The audit log (ModSecurity Native and JSON formats, Serial and Concurrent) and the debug log. */
export { createAuditLogger, type AuditLogger, type AuditLoggerOptions } from './audit-logger';
export { createDebugLogger, type DebugLogger, type DebugLoggerOptions } from './debug-log';
export { debugMessages } from './debug-messages';
export { formatNativeRecord, newBoundary, interceptPhase, type NativeFormatOptions } from './native-format';
export { parseNativeRecord, parseNativeLog, splitNativeLog, AuditLogParseError, type NativeAuditRecord } from './native-parse';
export { formatJsonRecord, parseJsonRecord, parseJsonLog, type JsonAuditRecord, type JsonAuditMessage, type JsonFormatOptions } from './json-format';
export { collectAuditData, formUrlEncode, type AuditData, type AuditHeader, type AuditUpload } from './record-data';
export { isRelevant, compileRelevantStatus } from './relevance';
export { formatIndexLine } from './concurrent-index';
export { encodeRecord } from './encoding';
export { RuleTextSource } from './rule-text';
