import { RampartError } from '@rampart/engine';

/** Where the server is and how to reach it. */
export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** `rediss://`: TLS, with the system's CAs unless `caFile` names a PEM file. */
  tls: boolean;
  caFile?: string;
}

/** Settings the URL's query may carry (names in the URL: snake_case, see PARAMETERS). */
export interface RedisUrlSettings {
  keyPrefix?: string;
  timeoutMs?: number;
  connectTimeoutMs?: number;
  breakerFailures?: number;
  breakerResetMs?: number;
  maxVariables?: number;
  maxValueBytes?: number;
}

const PARAMETERS: Record<string, { key: keyof RedisUrlSettings | 'ca'; min?: number }> = {
  prefix: { key: 'keyPrefix' },
  timeout_ms: { key: 'timeoutMs', min: 1 },
  connect_timeout_ms: { key: 'connectTimeoutMs', min: 1 },
  breaker_failures: { key: 'breakerFailures', min: 1 },
  breaker_reset_ms: { key: 'breakerResetMs', min: 0 },
  max_variables: { key: 'maxVariables', min: 1 },
  max_value_bytes: { key: 'maxValueBytes', min: 1 },
  ca: { key: 'ca' },
};

/**
 * Reads `redis://[user[:password]@]host[:port][/db][?prefix=...&timeout_ms=...]` (or `rediss://` for TLS).
 * The password may also come from `passwordFromEnv` (e.g. $RAMPART_REDIS_PASSWORD) so that it does not show in
 * the process list. Throws a RampartError (code `collections-url`) saying what is wrong.
 *
 * @example parseRedisUrl('rediss://rampart:secret@redis.internal:6380/2?prefix=shop:&timeout_ms=50')
 */
export function parseRedisUrl(text: string, passwordFromEnv?: string): { connection: RedisConnection; settings: RedisUrlSettings } {
  const bad = (why: string): RampartError => new RampartError('collections-url', `collections URL ${redact(text)}: ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('not a URL (expected redis://host:port/db or rediss://...)');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw bad(`scheme ${url.protocol} is not redis: or rediss:`);
  if (url.hash !== '') throw bad('a URL fragment (#...) means nothing here');
  const port = url.port === '' ? 6379 : Number(url.port);
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) throw bad(`the path must be a database number, got /${dbText}`);
  const connection: RedisConnection = {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1',
    port,
    db: dbText === '' ? 0 : Number(dbText),
    tls: url.protocol === 'rediss:',
  };
  if (url.username !== '') connection.username = decodeURIComponent(url.username);
  if (url.password !== '') connection.password = decodeURIComponent(url.password);
  else if (passwordFromEnv !== undefined && passwordFromEnv !== '') connection.password = passwordFromEnv;
  const settings: RedisUrlSettings = {};
  for (const [name, value] of url.searchParams) {
    const p = PARAMETERS[name];
    if (p === undefined) throw bad(`unknown parameter ${name} (known: ${Object.keys(PARAMETERS).join(', ')})`);
    if (p.key === 'ca') {
      if (!connection.tls) throw bad('ca= needs rediss://');
      connection.caFile = value;
    } else if (p.key === 'keyPrefix') {
      settings.keyPrefix = value;
    } else {
      if (!/^\d+$/.test(value) || Number(value) < (p.min ?? 0)) throw bad(`${name} must be an integer >= ${p.min ?? 0}, got '${value}'`);
      settings[p.key] = Number(value);
    }
  }
  return { connection, settings };
}

/** The URL without its password, for logs and messages. */
export function redact(text: string): string {
  try {
    const url = new URL(text);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return text.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
  }
}
