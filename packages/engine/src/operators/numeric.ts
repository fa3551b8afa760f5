/**
 * Number parsing the way ModSecurity v3's numeric operators do it: C `atoll` (`@gt @ge @lt @le`) and C++
 * `std::stoi` (`@eq`). Both skip leading C whitespace, take an optional sign and the leading decimal digits,
 * and ignore the rest; text without digits is 0.
 *
 * CRS calls these about 190 times per GET, mostly on one-digit TX values, so the common path reads char
 * codes and allocates nothing: values of up to 15 significant digits are exact in a double.
 */

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Significant digits that a double always holds exactly. */
const EXACT_DIGITS = 15;

/** Index after the C whitespace and the optional sign that start `s`. */
function afterSpaceAndSign(s: string): number {
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) i++;
    else break;
  }
  if (i < n) {
    const c = s.charCodeAt(i);
    if (c === 0x2b || c === 0x2d) i++;
  }
  return i;
}

/** Whether the sign read by afterSpaceAndSign (ending at `signEnd`) is `-`. */
function isNegative(s: string, signEnd: number): boolean {
  return signEnd > 0 && s.charCodeAt(signEnd - 1) === 0x2d;
}

/** Skips leading zeros that are not significant: all but the last one of an all-zero number. */
function firstSignificant(s: string, i: number): number {
  while (i + 1 < s.length && s.charCodeAt(i) === 0x30 && isDigitAt(s, i + 1)) i++;
  return i;
}

function digitsEnd(s: string, i: number): number {
  while (i < s.length && isDigitAt(s, i)) i++;
  return i;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

/** Value of the digits in `s[start, end)`, at most EXACT_DIGITS of them. */
function smallValue(s: string, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 10 + (s.charCodeAt(i) - 0x30);
  return v;
}

/**
 * `atoll`: a 64-bit integer; glibc saturates on overflow. Returns a number when it is exact, else a bigint
 * (JS compares the two kinds correctly with `<` and `>`).
 */
export function atoll(s: string): number | bigint {
  const signEnd = afterSpaceAndSign(s);
  const start = firstSignificant(s, signEnd);
  const end = digitsEnd(s, start);
  if (end === start) return 0;
  if (end - start <= EXACT_DIGITS) {
    const v = smallValue(s, start, end);
    // `0 - v`, not `-v`: "-0" reads as 0, not as the double -0.
    return isNegative(s, signEnd) ? 0 - v : v;
  }
  let v = BigInt(s.slice(start, end));
  if (isNegative(s, signEnd)) v = -v;
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return v;
}

/** `std::stoi` inside ModSecurity's try/catch: no digits or a value outside 32-bit int range gives 0. */
export function stoi(s: string): number {
  const signEnd = afterSpaceAndSign(s);
  const start = firstSignificant(s, signEnd);
  const end = digitsEnd(s, start);
  if (end === start || end - start > 11) return 0;
  const v = isNegative(s, signEnd) ? 0 - smallValue(s, start, end) : smallValue(s, start, end);
  return v > 2147483647 || v < -2147483648 ? 0 : v;
}
