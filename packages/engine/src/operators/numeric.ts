/**
 * Number parsing the way ModSecurity v3's numeric operators do it: C `atoll` (`@gt @ge @lt @le`) and C++
 * `std::stoi` (`@eq`). Both skip leading C whitespace, take an optional sign and the leading decimal digits,
 * and ignore the rest; text without digits is 0.
 */

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Sign and digits at the start of `s` (after C whitespace), or undefined when there are no digits. */
function leadingInteger(s: string): { negative: boolean; digits: string } | undefined {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++;
    else break;
  }
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const start = i;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) i++;
    else break;
  }
  if (i === start) return undefined;
  return { negative, digits: s.slice(start, i) };
}

/**
 * `atoll`: a 64-bit integer; glibc saturates on overflow. Returns a number when it is exact, else a bigint
 * (JS compares the two kinds correctly with `<` and `>`).
 */
export function atoll(s: string): number | bigint {
  const n = leadingInteger(s);
  if (n === undefined) return 0;
  const digits = n.digits.replace(/^0+(?=\d)/, '');
  if (digits.length <= 15) {
    const v = Number(digits);
    return n.negative ? -v : v;
  }
  let v = BigInt(digits);
  if (n.negative) v = -v;
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return v;
}

/** `std::stoi` inside ModSecurity's try/catch: no digits or a value outside 32-bit int range gives 0. */
export function stoi(s: string): number {
  const n = leadingInteger(s);
  if (n === undefined) return 0;
  const digits = n.digits.replace(/^0+(?=\d)/, '');
  if (digits.length > 11) return 0;
  const v = n.negative ? -Number(digits) : Number(digits);
  return v > 2147483647 || v < -2147483648 ? 0 : v;
}
