import type { Transaction } from '../transaction';
import { sentStatus } from './relevance';
import { formatLogTime } from './time-format';

/**
 * A field of the index line. v3 writes values as they came; here a byte that would end the line (a control
 * byte) or end the field (`"` in a quoted field, a space in an unquoted one) is written as `\xNN`, so a request
 * cannot forge the fields that follow. Requests without such bytes give v3's line exactly.
 */
function field(s: string, quoted: boolean): string {
  const unsafe = quoted ? /[\x00-\x1f\x7f"\\]/g : /[\x00-\x20\x7f"\\]/g;
  return s.replace(unsafe, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const dash = (s: string | undefined, quoted: boolean): string => (s === undefined || s === '' ? '-' : field(s, quoted));

/**
 * One line of the concurrent log's index, as ModSecurity v3 writes it (`Transaction::toOldAuditLogFormatIndex`):
 *
 *   host client_ip remote_user [time] "METHOD uri HTTP/1.1" status response_bytes referer "user-agent" unique_id
 *   referer /storage/dir/20261122/20261122-0855/20261122-085515-<unique_id> 0 2479.000000 md5:<hex>
 *
 * `host` is the first Host header, `response_bytes` the response body as inspected, `file` the record's path
 * (the storage directory joined with the time-based name), `size` the record's length in bytes written as C's
 * `%f`. v3 writes the Referer twice (once where v2 has the session id).
 */
export function formatIndexLine(tx: Transaction, file: string, size: number, md5: string): string {
  const v = tx.vars;
  const headers = tx.collection('REQUEST_HEADERS');
  const referer = dash(headers?.first('referer'), false);
  const requestLine = `${v.get('REQUEST_METHOD') || '-'} ${v.get('REQUEST_URI_RAW') ?? ''} ${v.get('REQUEST_PROTOCOL') ?? ''}`;
  return (
    `${dash(headers?.first('host'), false)} ${dash(v.get('REMOTE_ADDR'), false)} ${dash(v.get('REMOTE_USER'), false)} ` +
    `[${formatLogTime(tx.now())}] "${field(requestLine, true)}" ${sentStatus(tx) ?? '200'} ${tx.responseBody.text().length} ` +
    `${referer} "${dash(headers?.first('user-agent'), true)}" ${field(tx.id, false)} ${referer} ${file} 0 ${size.toFixed(6)} md5:${md5}\n`
  );
}
