import { MemoryCollectionStore } from '@rampart/engine';
import { LmdbCollectionStore, type LmdbCollectionStoreOptions } from './lmdb-collection-store';

/**
 * The store for a configuration: LMDB under SecDataDir when one is set, otherwise the engine's in-memory store
 * (per process: not shared between workers, lost on restart, as ModSecurity v3 without LMDB).
 *
 * @example
 * // SecDataDir /var/lib/rampart
 * const store = createCollectionStore(waf.settings.dataDir);
 */
export function createCollectionStore(dataDir?: string, options?: LmdbCollectionStoreOptions): MemoryCollectionStore | LmdbCollectionStore {
  if (dataDir === undefined || dataDir === '') return new MemoryCollectionStore();
  return LmdbCollectionStore.open(dataDir, options);
}
