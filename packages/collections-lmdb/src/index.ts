export { LmdbCollectionStore, ENVIRONMENT_DIRECTORY } from './lmdb-collection-store';
export type { LmdbCollectionStoreOptions, Durability } from './lmdb-collection-store';
export { createCollectionStore } from './create-collection-store';
export { Sweeper } from './sweeper';
export type { Sweepable } from './sweeper';
export { recordKey } from './record-key';
