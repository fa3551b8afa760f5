/**
 * @rampart/spoa — the HAProxy SPOE agent (a drop-in replacement for spoa-modsecurity, also speaking
 * coraza-spoa's messages). See README.md for the HAProxy configuration, flags, messages and variables.
 *
 * ```ts
 * import { SpoaAgent, singleAppRules, crsSource } from '@rampart/spoa';
 * const agent = await SpoaAgent.start({ rules: singleAppRules(crsSource('pl1')), port: 12345 });
 * await agent.ready;                                   // rejects with RulesLoadError (every problem)
 * process.on('SIGHUP', () => void agent.reload());     // old rules serve until the new ones compiled
 * process.on('SIGTERM', () => void agent.drain());
 * ```
 */
export { SpoaAgent, type SpoaAgentOptions, type AgentState, type HealthReport, type LogHealth, type ReloadResult } from './agent';
export { AgentError, AgentErrorCode } from './agent-error';
export { DEFAULT_APP, crsSource, loadAppConfig, parseHostPort, singleAppRules, type AgentFileSettings, type LoadedAppConfig, type SingleAppOptions } from './app-config';
export { AgentCollections, collectionsConfig, probeCollections, REDIS_PASSWORD_ENV, type CollectionsActivity, type RedisCollectionsConfig } from './collections';
export { compileRules, formatProblem, RulesLoadError, type CompiledApp, type CompiledRules, type RulesProblem } from './compile-rules';
export { parseHeadersText } from './headers-text';
export type { RequestInput, ResponseInput } from './inspection-input';
export { MESSAGE_NAMES, parseNotify, type ParsedNotify } from './messages';
export { Metrics } from './metrics';
export { RuleLineLimiter, ruleIdOfLine } from './rule-line-limiter';
export { RulesRunner, type Inspector } from './rules-runner';
export { DEFAULT_MAX_CACHED_TRANSACTIONS, DEFAULT_TRANSACTION_TTL_MS, describeSource, type AppRules, type RulesConfig, type RulesSource } from './rules-config';
export { sourceLoaderPrelude } from './source-loader';
export { TransactionCache } from './transaction-cache';
export { MAX_EXPORTED_RULE_IDS, errorVerdict, verdictActions, type Verdict } from './verdict';
export { createLogger, type Logger } from './logger';
export { WorkerPool, type WorkerPoolOptions } from './worker-pool';
