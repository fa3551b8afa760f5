export { RedisCollectionStore, DEFAULTS } from './redis-collection-store';
export type { RedisCollectionStoreOptions } from './redis-collection-store';
export { parseRedisUrl, redact } from './connection-url';
export type { RedisConnection, RedisUrlSettings } from './connection-url';
export { CircuitBreaker } from './circuit-breaker';
export type { BreakerState } from './circuit-breaker';
export { APPLY_SCRIPT } from './apply-script';
export { redisKey } from './record-codec';
