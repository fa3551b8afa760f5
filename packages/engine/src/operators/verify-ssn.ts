import { defineOperator, NO_SPANS, withLocator } from './types';
import { compileRegex } from './regex';
import { findVerifiedNumber, isStartSensitive } from './number-search';

/**
 * ModSecurity v3's US social security number check: exactly 9 digits (other characters ignored), not all
 * ascending nor all equal, no all-zero area (3 digits), group (2) or serial (4), area not 666 and below 740.
 */
export function ssnValid(text: string): boolean {
  const digits = text.replace(/[^0-9]/g, '');
  if (digits.length !== 9) return false;
  const d = [...digits].map(Number);
  let ascending = 0;
  let repeated = 0;
  for (let i = 0; i < 8; i++) {
    if (d[i] === (d[i + 1] as number) - 1) ascending++;
    if (d[i] === d[i + 1]) repeated++;
  }
  if (ascending === 8 || repeated === 8) return false;
  const area = Number(digits.slice(0, 3));
  const group = Number(digits.slice(3, 5));
  const serial = Number(digits.slice(5, 9));
  if (area === 0 || group === 0 || serial === 0) return false;
  return area < 740 && area !== 666;
}

/**
 * Matches when the regular expression finds a plausible US social security number (ModSecurity v3's
 * checks). With `capture`, TX:0 is the number as found.
 * @example SecRule ARGS "@verifySSN \d{3}-?\d{2}-?\d{4}" "id:162,phase:2,capture,deny"
 */
export const verifySSN = defineOperator({
  name: 'verifySSN',
  compile(argument, ctx) {
    if (argument.text === '') return () => false;
    const re = compileRegex(argument.text, '@verifySSN', ctx);
    const sensitive = isStartSensitive(argument.text);
    return withLocator(
      (input, run) => {
        const found = findVerifiedNumber(input, re, sensitive, ssnValid);
        if (found === undefined) return false;
        if (run.captures !== null) run.captures[0] = found;
        return true;
      },
      (input) => {
        // ModSecurity v3 logs the number's offset within the suffix of the input it was found in.
        const where = { index: 0 };
        const found = findVerifiedNumber(input, re, sensitive, ssnValid, false, where);
        return found === undefined ? NO_SPANS : [where.index, found.length];
      },
    );
  },
});
