/** Test helper: error-log lines in ModSecurity v3's format (RuleMessage::log with _details), as nginx writes them. */
export interface LogRule {
  readonly id: number;
  readonly msg: string;
  readonly data?: string;
  readonly match?: string;
  readonly severity?: number;
  readonly tags?: readonly string[];
  readonly uri?: string;
  readonly disruptive?: { readonly code: number; readonly phase: number };
}

export function modsecLogLine(rule: LogRule): string {
  const head = rule.disruptive
    ? `ModSecurity: Access denied with code ${rule.disruptive.code} (phase ${rule.disruptive.phase}). `
    : 'ModSecurity: Warning. ';
  const details = [
    ` [file "/etc/crs/rules/test.conf"]`,
    ` [line "1"]`,
    ` [id "${rule.id}"]`,
    ` [rev ""]`,
    ` [msg "${rule.msg}"]`,
    ` [data "${(rule.data ?? '').slice(0, 200)}"]`,
    ` [severity "${rule.severity ?? 2}"]`,
    ` [ver "OWASP_CRS/4.28.0"]`,
    ` [maturity "0"]`,
    ` [accuracy "0"]`,
    ...(rule.tags ?? ['OWASP_CRS']).map((t) => ` [tag "${t}"]`),
    ` [hostname "127.0.0.1"]`,
    ` [uri "${rule.uri ?? '/'}"]`,
    ` [unique_id "170000000000.000000"]`,
    ` [ref ""]`,
  ].join('');
  return `[client 127.0.0.1] ${head}${rule.match ?? 'Matched "Operator `Rx\' with parameter `x\' against variable `ARGS:x\' (Value: `x\' )'}${details}`;
}

/** The line the X-CRS-Test marker rule (999999) writes for a marker request. */
export function markerLogLine(marker: string): string {
  return modsecLogLine({
    id: 999999,
    msg: marker,
    match: `Matched "Operator \`Rx' with parameter \`^.*$' against variable \`REQUEST_HEADERS:X-CRS-Test' (Value: \`${marker}' )`,
    uri: '/status/200',
  });
}
