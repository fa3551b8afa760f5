import { RedisCollectionStore, parseRedisUrl } from '@rampart/collections-redis';

/** `--collections`: persistent collections in Redis / Valkey, shared by every agent (plain data: goes to the workers). */
export interface RedisCollectionsConfig {
  /** `redis://[user:password@]host:port/db?prefix=...` or `rediss://...` (see @rampart/collections-redis). */
  url: string;
  /**
   * What happens to a transaction whose collections could not be read or written (Redis down, slow, circuit
   * open): `skip` runs it without them (its collection rules see nothing; counted in the metrics), `deny`
   * answers `error` = 1008 so that HAProxy's fail-closed rule refuses the request.
   */
  unavailable: 'skip' | 'deny';
}

/** Where the password comes from when the URL has none: the process list then never shows it. */
export const REDIS_PASSWORD_ENV = 'RAMPART_REDIS_PASSWORD';

/** Checks `--collections` / `--collections-unavailable` at start; throws an Error saying what is wrong. */
export function collectionsConfig(url: string, unavailable: string = 'skip'): RedisCollectionsConfig {
  if (unavailable !== 'skip' && unavailable !== 'deny') throw new Error(`--collections-unavailable must be skip or deny, got '${unavailable}'`);
  parseRedisUrl(url, process.env[REDIS_PASSWORD_ENV]);
  return { url, unavailable };
}

/** For `--check`: undefined when the server answers PING with these settings, else what went wrong. */
export async function probeCollections(config: RedisCollectionsConfig): Promise<string | undefined> {
  let problem: string | undefined;
  const store = RedisCollectionStore.fromUrl(config.url, { onStatus: (available, detail) => (problem = available ? undefined : detail) }, process.env[REDIS_PASSWORD_ENV]);
  try {
    if (!(await store.whenConnected(store.connectTimeoutMs))) return problem ?? `${store.label}: no connection within ${store.connectTimeoutMs} ms`;
    await store.ping();
    return undefined;
  } catch (e) {
    return `${store.label}: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    await store.close();
  }
}

/** What one thread's store did since the previous verdict of that thread (for the agent's metrics). */
export interface CollectionsActivity {
  /** Seconds of each round trip the server answered. */
  roundTrips: number[];
  /** Round trips that failed (no connection, no answer in time); none are tried while the circuit is open. */
  failedRoundTrips: number;
}

/**
 * One thread's connection to the shared collections, used by every application of that thread's rules. It
 * keeps the round trips it saw until a verdict carries them to the main thread's metrics, and reports through
 * `onStoreError` when Redis stops answering (`collections-unavailable`) and when it answers again
 * (`collections-available`), once per change.
 */
export class AgentCollections {
  readonly store: RedisCollectionStore;
  private roundTrips: number[] = [];
  private failed = 0;

  constructor(
    readonly config: RedisCollectionsConfig,
    onStoreError: (code: string, message: string) => void,
  ) {
    this.store = RedisCollectionStore.fromUrl(
      config.url,
      {
        onStatus: (available, detail) =>
          available
            ? onStoreError('collections-available', `collections: answering again (${detail})`)
            : onStoreError('collections-unavailable', `collections unavailable (${detail}): transactions ${config.unavailable === 'deny' ? 'are refused (error 1008)' : 'run without their collections'} until it answers`),
        onRoundTrip: (seconds, ok) => {
          if (ok) this.roundTrips.push(seconds);
          else this.failed++;
        },
      },
      process.env[REDIS_PASSWORD_ENV],
    );
  }

  /** The round trips since the last call, or undefined when there were none. */
  takeActivity(): CollectionsActivity | undefined {
    if (this.roundTrips.length === 0 && this.failed === 0) return undefined;
    const activity = { roundTrips: this.roundTrips, failedRoundTrips: this.failed };
    this.roundTrips = [];
    this.failed = 0;
    return activity;
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
