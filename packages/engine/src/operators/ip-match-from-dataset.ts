import { refusedOperator } from './refused';

/**
 * IP match against a Coraza `SecDataset` list. Refused for now: Rampart does not implement
 * `SecDataset`; put the networks in a file and use `@ipMatchFromFile`.
 * @example SecRule REMOTE_ADDR "@ipMatchFromDataset blocked" "id:171,phase:1,deny"
 */
export const ipMatchFromDataset = refusedOperator(
  'ipMatchFromDataset',
  'SecDataset (Coraza) is not implemented; put the networks in a file and use @ipMatchFromFile',
);
