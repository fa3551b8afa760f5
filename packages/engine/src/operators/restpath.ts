import { refusedOperator } from './refused';

/**
 * Matches REQUEST_FILENAME against a path template and fills ARGS_PATH (Coraza only). Refused for now:
 * Rampart has no ARGS_PATH collection.
 * @example SecRule REQUEST_FILENAME "@restpath /users/{id}" "id:172,phase:1,pass"
 */
export const restpath = refusedOperator(
  'restpath',
  'the Coraza @restpath operator and its ARGS_PATH collection are not implemented',
);
