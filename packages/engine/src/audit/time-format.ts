const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `+0100` for the process's local time zone at `d`, as strftime's `%z`. */
function zone(d: Date): string {
  const off = -d.getTimezoneOffset();
  const a = Math.abs(off);
  return `${off < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${pad(a % 60)}`;
}

/**
 * ModSecurity's `current_logtime` (Apache access-log time, local zone): `22/Nov/2026:08:55:15 +0000`.
 * Section A and the concurrent index use it between brackets.
 */
export function formatLogTime(d: Date): string {
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${zone(d)}`;
}

/** C's `ctime` without the newline, as ModSecurity v3's JSON `time_stamp`: `Sun Nov  2 08:55:15 2026`. */
export function formatAscTime(d: Date): string {
  return `${DAYS[d.getDay()]} ${MONTHS[d.getMonth()]} ${String(d.getDate()).padStart(2, ' ')} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())} ${d.getFullYear()}`;
}

/** The concurrent-log file path under the storage directory: `/20261122/20261122-0855/20261122-085515`. */
export function formatConcurrentPath(d: Date): string {
  const day = `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
  const minute = `${day}-${pad(d.getHours())}${pad(d.getMinutes())}`;
  return `/${day}/${minute}/${minute}${pad(d.getSeconds())}`;
}

/** The debug log's time: the access-log form with milliseconds, `22/Nov/2026:08:55:15.042 +0000`. */
export function formatDebugTime(d: Date): string {
  return `${pad(d.getDate())}/${MONTHS[d.getMonth()]}/${d.getFullYear()}:${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)} ${zone(d)}`;
}
