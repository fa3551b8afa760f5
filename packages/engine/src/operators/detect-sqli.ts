import { detectSqli } from '@rampart/libinjection';
import { defineOperator } from './types';

/**
 * Matches when libinjection classifies the input as SQL injection. With `capture`, TX:0 is libinjection's
 * fingerprint of the input (e.g. `s&sos`), as in ModSecurity. The operator takes no argument.
 * @example SecRule ARGS "@detectSQLi" "id:942100,phase:2,capture,block,logdata:'fingerprint %{TX.0}'"
 */
export const detectSQLi = defineOperator({
  name: 'detectSQLi',
  compile() {
    return (input, run) => {
      let result: { isSqli: boolean; fingerprint: string };
      try {
        result = detectSqli(input);
      } catch {
        // Hostile input must never break the transaction; a detector failure is not a detection.
        return false;
      }
      if (!result.isSqli) return false;
      if (run.captures !== null) run.captures[0] = result.fingerprint;
      return true;
    };
  },
});
