import type { Arg } from './urlencoded';

/**
 * The `Cookie` request-header parser behind REQUEST_COOKIES / REQUEST_COOKIES_NAMES, as ModSecurity v3 runs it
 * (`Transaction::addRequestHeader`, SecCookieFormat 0, the only format v3 accepts):
 *
 * - The header is split on `;` (`std::getline` style: a trailing `;` adds nothing); trailing whitespace is removed
 *   from the last piece only.
 * - Empty pieces are skipped; each piece is split at its first `=` (`foo=bar=baz` is `foo` = `bar=baz`), and a piece
 *   without `=` is a name with an empty value.
 * - The name is trimmed on the left only (isspace), the value not at all; a piece whose name is then empty is skipped.
 * - Names and values are not URL-decoded.
 *
 * @example SecRule REQUEST_COOKIES:session "@rx ^[a-f0-9]{32}$" "id:1002,phase:1,pass,nolog"
 */
export interface CookieOptions {
  /** SecCookieFormat. Only version 0 cookies are parsed (ModSecurity v3 refuses 1 as well). */
  readonly format?: 0;
  /** SecCookieV0Separator (a ModSecurity v2 directive); `;` when not set. */
  readonly separator?: string;
}

export function parseCookies(header: string, options: CookieOptions = {}): Arg[] {
  const format: number = options.format ?? 0;
  if (format !== 0) {
    // Reached only through configuration, never through request data: the integrator refuses the directive.
    throw new RangeError(`SecCookieFormat ${format} is not supported (only 0)`);
  }
  const separator = options.separator === undefined || options.separator === '' ? ';' : options.separator.charAt(0);
  const pieces = splitLikeGetline(header, separator);
  const last = pieces.length - 1;
  if (last >= 0) pieces[last] = trimRightSpace(pieces[last] ?? '');
  const cookies: Arg[] = [];
  for (const piece of pieces) {
    if (piece.length === 0) continue;
    const eq = piece.indexOf('=');
    let name = eq === -1 ? piece : piece.slice(0, eq);
    const value = eq === -1 ? '' : piece.slice(eq + 1);
    let skip = 0;
    while (skip < name.length && isSpace(name.charCodeAt(skip))) skip++;
    name = name.slice(skip);
    if (name.length === 0) continue;
    cookies.push({ name, value });
  }
  return cookies;
}

function splitLikeGetline(input: string, separator: string): string[] {
  const out = input.split(separator);
  if (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

function trimRightSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

/** C `isspace` in the C locale: space, \t, \n, \v, \f, \r. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
