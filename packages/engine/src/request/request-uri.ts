import { urlDecodeForUri } from './uri-decode';

/**
 * REQUEST_URI as libmodsecurity v3 sets it (`Transaction::processURI`): the request target without its fragment,
 * `%XX`-decoded (query string included), and, when the decoded target is in absolute form (`scheme://host/path`),
 * only its path from the first `/` after the host. ModSecurity v2 (Apache) kept it raw; v3 and Rampart decode it,
 * so `GET /a%2fb?x=%27` reads `/a/b?x='` here and REQUEST_URI_RAW keeps the bytes as received.
 *
 * The absolute-form test is v3's: the decoded target must not start with `/`, its first `:` must be followed by
 * `//`, and a target with no `/` after the host is kept whole.
 *
 * @example SecRule REQUEST_URI "@contains /admin/" "id:1,phase:1,deny"
 */
export function requestUriOf(targetWithoutFragment: string): string {
  const decoded = urlDecodeForUri(targetWithoutFragment);
  if (decoded.length === 0 || decoded.charCodeAt(0) === 47 /* / */) return decoded;
  const colon = decoded.indexOf(':');
  const hostAt = colon + 1;
  if (!decoded.startsWith('//', hostAt)) return decoded;
  const path = decoded.indexOf('/', hostAt + 2);
  return path === -1 ? decoded : decoded.slice(path);
}
