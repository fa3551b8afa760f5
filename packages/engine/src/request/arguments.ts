import { parseCookies } from '../body/cookies';
import { parseQueryString, type UrlencodedResult } from '../body/urlencoded';

/** QUERY_STRING -> ARGS_GET, with ModSecurity's urlencoded rules and the arguments limit. */
export function parseQueryArguments(query: string, separator: string, argumentsLimit: number): UrlencodedResult {
  return parseQueryString(query, { separator, argumentsLimit });
}

/** A Cookie header -> REQUEST_COOKIES entries (SecCookieFormat 0; version 1 is refused at load). */
export function parseCookieHeader(value: string, _format: 0 | 1): Array<{ name: string; value: string }> {
  return parseCookies(value, { format: 0 });
}
