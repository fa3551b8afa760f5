import * as path from 'node:path';

/** A real redis-server for the test (see packages/collections-redis/test/helpers/redis-server.ts). */
export interface RedisServer {
  port: number;
  url: string;
  dir: string;
  pid(): number;
  start(): Promise<void>;
  kill(): Promise<void>;
  stop(cleanup?: boolean): Promise<void>;
}

interface RedisServerHelper {
  startRedisServer(options?: { durable?: boolean; args?: string[] }): Promise<RedisServer>;
  rawCommand(port: number, command: string, ms?: number): Promise<string>;
}

// The helper belongs to the Redis store's tests. Required by path (not imported) so that this package's type
// check does not take in another package's test files.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const helper = require(path.resolve(__dirname, '../../../collections-redis/test/helpers/redis-server')) as RedisServerHelper;

export const startRedisServer = helper.startRedisServer;
export const rawCommand = helper.rawCommand;
