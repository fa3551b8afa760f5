/**
 * The collections every transaction owns from its start, in a fixed order: variables read them by position
 * (Transaction.ownCollections) instead of looking their names up for every rule target.
 */
export const TRANSACTION_COLLECTIONS = [
  'ARGS', 'ARGS_GET', 'ARGS_POST', 'ENV', 'FILES', 'FILES_NAMES', 'FILES_SIZES', 'FILES_TMPNAMES', 'FILES_TMP_CONTENT',
  'GEO', 'MATCHED_VARS', 'MATCHED_VARS_NAMES', 'MULTIPART_FILENAME', 'MULTIPART_NAME', 'MULTIPART_PART_HEADERS', 'REQUEST_COOKIES', 'REQUEST_HEADERS',
  'RESPONSE_HEADERS', 'RULE', 'TX',
] as const;

/** The position of a transaction's own collection, or -1 for others (persistent collections: IP, SESSION, ...). */
export function transactionCollectionIndex(name: string): number {
  return (TRANSACTION_COLLECTIONS as readonly string[]).indexOf(name);
}
