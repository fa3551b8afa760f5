import type { StoredRecord } from '@rampart/engine';

/**
 * Whether a decoded value is a record this package wrote. The database is a file other processes (and other
 * versions) share, so what comes back is checked before the engine trusts it.
 */
export function isStoredRecord(value: unknown): value is StoredRecord {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  if (!isFiniteNumber(r.createTime) || !isFiniteNumber(r.lastUpdateTime)) return false;
  if (!isFiniteNumber(r.updateCounter) || !isFiniteNumber(r.timeout)) return false;
  const values = r.values;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return false;
  for (const v of Object.values(values as Record<string, unknown>)) {
    if (typeof v !== 'object' || v === null) return false;
    const entry = v as Record<string, unknown>;
    if (typeof entry.name !== 'string' || typeof entry.value !== 'string') return false;
    if (entry.expires !== undefined && !isFiniteNumber(entry.expires)) return false;
  }
  return true;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** When the whole record goes stale (`SecCollectionTimeout`); undefined for records that never do. */
export function staleAt(record: StoredRecord): number | undefined {
  return record.timeout > 0 ? record.lastUpdateTime + record.timeout : undefined;
}
