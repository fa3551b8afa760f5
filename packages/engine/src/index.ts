export { createWaf, Waf, lenientCodes } from './waf';
export type { WafOptions, NewTransactionOptions, EngineMode, WafSettings } from './waf';
export { Transaction } from './transaction';
export type { Phase, TransactionSettings } from './transaction';
export type { Interruption, MatchedRule, MatchedValue } from './interruption';
export { RampartError, RuleCompileError, ConfigLoadError } from './errors';
export { Collection } from './collections/collection';
export { MemoryCollectionStore, PersistentRecordHandle, applyOps, liveRecord } from './collections/store';
export type { CollectionStore, StoredRecord, RecordOp } from './collections/store';
export { builtinTransformations, findTransformation, transform, loadUnicodeMap } from './transformations';
export type { TransformationDefinition, TransformationContext } from './transformations/types';
export { builtinOperators, findOperator, compileOperator } from './operators';
export type { OperatorDefinition, OperatorCompileContext, OperatorRunContext, MacroScope, Expandable } from './operators/types';
export { builtinActions, findActionDefinition } from './actions';
export { formatErrorLogLine } from './log/error-log';
export { TraceRecorder } from './trace/recorder';
export { traceOf } from './trace/sink';
export type * from './trace/events';
/** The compiled form of a rule, as trace events carry it (read-only for callers). */
export type { CompiledRule, CompiledTarget, CompiledSelector, DisruptiveKind } from './rules/compiled-rule';
export { variableDefinitions, findVariableDefinition } from './variables/table';
export { settingHandlers, defaultSettings } from './settings';
export { compileConfig } from './compile';
export { CompileMemo, memoKey, type MemoEntry } from './compile-memo/compile-memo';
export type { Frozen, FrozenArray } from './compile-memo/frozen';
export { readCompileMemo, writeCompileMemo, engineFingerprint, type MemoFileRead } from './compile-memo/memo-file';
export { compileRelevantStatus } from './audit/relevance';
export type { CompileOptions, CompileProblem, CompiledConfig } from './compile';
/** The bounded reader of configuration files (regular files under a size limit), for hosts that read their own. */
export { ConfigFileError, DEFAULT_MAX_CONFIG_FILE_BYTES, readConfigFile, readConfigFileBytes } from '@rampart/seclang';
/** An append-only log file that reports write failures once per cause (hosts write their own logs with it). */
export { AppendFile, type AuditResult } from './audit';
/** Readers of audit records in ModSecurity's Native (v3 and v2 layouts) and JSON formats (rampart tune and explain use them). */
export { AuditLogParseError, parseNativeRecord, parseNativeLog, splitNativeLog, type NativeAuditRecord } from './audit/native-parse';
export { parseJsonRecord, parseJsonLog, type JsonAuditRecord, type JsonAuditMessage } from './audit/json-format';
