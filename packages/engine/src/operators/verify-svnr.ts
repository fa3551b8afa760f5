import { defineOperator, NO_SPANS, withLocator } from './types';
import { compileRegex } from './regex';
import { findVerifiedNumber, isStartSensitive } from './number-search';

/** ModSecurity v3 compares against the first ten entries of its list only (8888888888 and 9999999999 are
 *  left to the checksum). */
const REJECTED_SVNR = new Set([
  '0000000000', '0123456789', '1234567890', '1111111111', '2222222222',
  '3333333333', '4444444444', '5555555555', '6666666666', '7777777777',
]);
const WEIGHTS = [3, 7, 9, 0, 5, 8, 4, 2, 1, 6];

/**
 * The Austrian social insurance number (SVNR) check on the first 10 digits of `text` (other characters
 * ignored, text after a NUL unseen): the 4th digit is the weighted sum mod 11 (10 counts as 0).
 */
export function svnrValid(text: string): boolean {
  const nul = text.indexOf('\0');
  const digits = (nul < 0 ? text : text.slice(0, nul)).replace(/[^0-9]/g, '').slice(0, 10);
  if (digits.length !== 10 || REJECTED_SVNR.has(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) sum += Number(digits[i]) * (WEIGHTS[i] as number);
  let check = sum % 11;
  if (check === 10) check = 0;
  return check === Number(digits[3]);
}

/**
 * Matches when the regular expression finds an Austrian social insurance number with a valid check digit
 * (ModSecurity v3 only). With `capture`, TX:0 is the number as found.
 * @example SecRule ARGS "@verifySVNR \d{4}\s?\d{6}" "id:163,phase:2,capture,deny"
 */
export const verifySVNR = defineOperator({
  name: 'verifySVNR',
  compile(argument, ctx) {
    if (argument.text === '') return () => false;
    const re = compileRegex(argument.text, '@verifySVNR', ctx);
    const sensitive = isStartSensitive(argument.text);
    return withLocator(
      (input, run) => {
        const found = findVerifiedNumber(input, re, sensitive, svnrValid);
        if (found === undefined) return false;
        if (run.captures !== null) run.captures[0] = found;
        return true;
      },
      (input) => {
        // ModSecurity v3 logs the number's offset within the suffix of the input it was found in.
        const where = { index: 0 };
        const found = findVerifiedNumber(input, re, sensitive, svnrValid, false, where);
        return found === undefined ? NO_SPANS : [where.index, found.length];
      },
    );
  },
});
