import { hexIfNeeded } from '../log/error-log';
import type { Transaction } from '../transaction';
import { sentStatus } from './relevance';
import { formatLogTime } from './time-format';

/** ModSecurity keeps an index line under 3980 bytes, shortening the request line if it must (marked `L`). */
const INDEX_LINE_LIMIT = 3980;

/**
 * One line of the concurrent log's index in ModSecurity v2's layout (`construct_log_vcombinedus_limited` + the
 * entry), written with `nativeLayout: 'v2'`; the default is v3's (concurrent-index.ts). `file` is relative to the
 * storage directory, as v2 writes it:
 * `host client remote_user local_user [time] "request line" status bytes "referer" "user-agent" unique_id
 * "session" file 0 size md5:hex`. Referer and User-Agent are `-`, as ModSecurity writes them.
 */
export function formatV2IndexLine(tx: Transaction, file: string, size: number, md5: string): string {
  const v = tx.vars;
  const dash = (s: string | undefined): string => (s === undefined || s === '' ? '-' : hexIfNeeded(s));
  const contentLength = v.get('RESPONSE_CONTENT_LENGTH');
  const bytes = contentLength !== undefined && /^\d+$/.test(contentLength) ? contentLength : String(tx.responseBody.text().length);
  const entry = `${file} 0 ${size} md5:${md5}`;
  const build = (requestLine: string): string =>
    `${dash(v.get('SERVER_NAME'))} ${v.get('REMOTE_ADDR') ?? '-'} ${dash(v.get('REMOTE_USER'))} - [${formatLogTime(tx.now())}] ` +
    `"${requestLine}" ${sentStatus(tx) ?? '0'} ${bytes} "-" "-" ${dash(tx.id)} "${dash(v.get('SESSIONID'))}" ${entry}`;
  const requestLine = hexIfNeeded(v.get('REQUEST_LINE') ?? '');
  let line = build(requestLine);
  if (line.length + 2 <= INDEX_LINE_LIMIT) return `${line} \n`;
  const room = Math.max(0, requestLine.length - (line.length + 3 - INDEX_LINE_LIMIT));
  line = build(requestLine.slice(0, room));
  return `${line} L\n`;
}
