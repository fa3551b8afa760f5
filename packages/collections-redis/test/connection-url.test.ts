import { parseRedisUrl, redact } from '../src';

describe('parseRedisUrl', () => {
  test('host, port, database, user and password, with defaults', () => {
    expect(parseRedisUrl('redis://10.1.2.3:6380/2')).toEqual({ connection: { host: '10.1.2.3', port: 6380, db: 2, tls: false }, settings: {} });
    expect(parseRedisUrl('redis://redis.internal').connection).toEqual({ host: 'redis.internal', port: 6379, db: 0, tls: false });
    expect(parseRedisUrl('rediss://rampart:p%40ss@[::1]:6380/0').connection).toEqual({ host: '::1', port: 6380, db: 0, tls: true, username: 'rampart', password: 'p@ss' });
  });

  test('the password may come from the environment; the URL one wins', () => {
    expect(parseRedisUrl('redis://h:1/0', 'fromenv').connection.password).toBe('fromenv');
    expect(parseRedisUrl('redis://:inurl@h:1/0', 'fromenv').connection.password).toBe('inurl');
  });

  test('query parameters: prefix, timeouts, breaker, limits, ca for rediss', () => {
    const { connection, settings } = parseRedisUrl('rediss://h:1/0?prefix=shop:&timeout_ms=50&connect_timeout_ms=500&breaker_failures=5&breaker_reset_ms=0&max_variables=64&max_value_bytes=512&ca=/etc/ssl/redis-ca.pem');
    expect(settings).toEqual({ keyPrefix: 'shop:', timeoutMs: 50, connectTimeoutMs: 500, breakerFailures: 5, breakerResetMs: 0, maxVariables: 64, maxValueBytes: 512 });
    expect(connection.caFile).toBe('/etc/ssl/redis-ca.pem');
  });

  test.each([
    ['http://h:1/0', /scheme http: is not redis: or rediss:/],
    ['redis://h:1/db', /the path must be a database number/],
    ['redis://h:1/0?timeout=5', /unknown parameter timeout \(known: prefix, timeout_ms/],
    ['redis://h:1/0?timeout_ms=0', /timeout_ms must be an integer >= 1, got '0'/],
    ['redis://h:1/0?timeout_ms=fast', /timeout_ms must be an integer >= 1/],
    ['redis://h:1/0?ca=/x.pem', /ca= needs rediss:\/\//],
    ['not a url', /not a URL/],
  ])('%s is refused: %s', (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
  });

  test('messages never show the password', () => {
    expect(() => parseRedisUrl('redis://u:hunter2@h:1/x')).toThrow(/redis:\/\/u:\*\*\*@h:1\/x/);
    expect(redact('redis://:hunter2@h:1/0')).toBe('redis://:***@h:1/0');
  });
});
