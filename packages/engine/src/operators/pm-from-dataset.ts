import { refusedOperator } from './refused';

/**
 * Phrase match against a Coraza `SecDataset` list. Refused for now: Rampart does not implement
 * `SecDataset`; put the phrases in a file and use `@pmFromFile`.
 * @example SecRule ARGS "@pmFromDataset bad_words" "id:170,phase:2,deny"
 */
export const pmFromDataset = refusedOperator(
  'pmFromDataset',
  'SecDataset (Coraza) is not implemented; put the phrases in a file and use @pmFromFile',
);
