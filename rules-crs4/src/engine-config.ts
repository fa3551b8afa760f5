import { UNICODE_CODE_PAGE, UNICODE_MAP_FILE } from './unicode-map';

/** Settings that differ between the recommended production setup and CRS's CI. */
export interface EngineConfigOptions {
  /** `On` blocks; `DetectionOnly` only logs (CRS CI). Default `On`. */
  readonly ruleEngine?: 'On' | 'Off' | 'DetectionOnly';
  /** Default `text/plain text/html text/xml`. CRS CI adds `application/json`. */
  readonly responseBodyMimeTypes?: readonly string[];
  /** Default 524288 (512 KiB). CRS CI uses 1048576. */
  readonly responseBodyLimit?: number;
  /**
   * The `SecUnicodeMapFile` table for t:urlDecodeUni's `%uHHHH` (code page 20127). Default: the table shipped
   * with this package (data/unicode-20127.mapping), as modsecurity.conf-recommended and the CRS images set it;
   * `false` leaves the directive out.
   */
  readonly unicodeMapFile?: string | false;
}

/**
 * The engine's own part of a configuration (what `rampart.conf` holds): request/response body handling, limits,
 * and the base rules 200000-200007 that turn body-parser outcomes into verdicts. CRS relies on them (JSON and XML
 * body processors chosen from Content-Type; body errors visible as rule matches).
 *
 * Not emitted on purpose: SecPcreMatchLimit* (RE2 runs in linear time; the few patterns RE2 cannot compile run on
 * the engine's backtracking fallback, which has its own time limit per match), SecTmpDir/SecDataDir and the
 * audit-log directives (deployment choices, not verdicts).
 *
 * @example
 *   createWaf({ directives: engineConfig({ ruleEngine: 'DetectionOnly' }) + 'Include /etc/crs/rules/*.conf' })
 */
export function engineConfig(options: EngineConfigOptions = {}): string {
  const mime = (options.responseBodyMimeTypes ?? ['text/plain', 'text/html', 'text/xml']).join(' ');
  const lines = [
    '# Rampart engine configuration (rampart.conf)',
    `SecRuleEngine ${options.ruleEngine ?? 'On'}`,
    '',
    '# -- Request body ---------------------------------------------------------',
    'SecRequestBodyAccess On',
    '',
    '# Parse XML and JSON bodies: without a processor their content would never reach ARGS.',
    'SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" \\',
    '    "id:200000,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"',
    'SecRule REQUEST_HEADERS:Content-Type "^application/json" \\',
    '    "id:200001,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"',
    'SecRule REQUEST_HEADERS:Content-Type "^application/[a-z0-9.-]+[+]json" \\',
    '    "id:200006,phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"',
    '',
    '# Bodies beyond these sizes are refused (13 MiB with files, 128 KiB without).',
    'SecRequestBodyLimit 13107200',
    'SecRequestBodyNoFilesLimit 131072',
    'SecRequestBodyLimitAction Reject',
    'SecRequestBodyJsonDepthLimit 512',
    'SecArgumentsLimit 1000',
    '',
    '# Arguments past SecArgumentsLimit are not inspected, so a request that reaches it must not pass.',
    'SecRule &ARGS "@ge 1000" \\',
    '    "id:200007,phase:2,t:none,log,deny,status:400,msg:\'Failed to fully parse request body due to large argument count\',severity:2"',
    '',
    '# A body we could not parse was not inspected: refuse it rather than let it through unseen.',
    'SecRule REQBODY_ERROR "!@eq 0" \\',
    '    "id:200002,phase:2,t:none,log,deny,status:400,msg:\'Failed to parse request body.\',logdata:\'%{reqbody_error_msg}\',severity:2"',
    '',
    '# Multipart quirks that parsers disagree on are how bodies get smuggled past a WAF.',
    'SecRule MULTIPART_STRICT_ERROR "!@eq 0" \\',
    '    "id:200003,phase:2,t:none,log,deny,status:400, \\',
    "    msg:'Multipart request body failed strict validation: \\",
    '    PE %{REQBODY_PROCESSOR_ERROR}, \\',
    '    BQ %{MULTIPART_BOUNDARY_QUOTED}, \\',
    '    BW %{MULTIPART_BOUNDARY_WHITESPACE}, \\',
    '    DB %{MULTIPART_DATA_BEFORE}, \\',
    '    DA %{MULTIPART_DATA_AFTER}, \\',
    '    HF %{MULTIPART_HEADER_FOLDING}, \\',
    '    LF %{MULTIPART_LF_LINE}, \\',
    '    SM %{MULTIPART_MISSING_SEMICOLON}, \\',
    '    IQ %{MULTIPART_INVALID_QUOTING}, \\',
    '    IP %{MULTIPART_INVALID_PART}, \\',
    '    IH %{MULTIPART_INVALID_HEADER_FOLDING}, \\',
    "    FL %{MULTIPART_FILE_LIMIT_EXCEEDED}'\"",
    'SecRule MULTIPART_UNMATCHED_BOUNDARY "@eq 1" \\',
    '    "id:200004,phase:2,t:none,log,deny,msg:\'Multipart parser detected a possible unmatched boundary.\'"',
    '',
    '# Internal errors are flagged as TX:MSC_* variables.',
    'SecRule TX:/^MSC_/ "!@streq 0" \\',
    '    "id:200005,phase:2,t:none,log,deny,msg:\'ModSecurity internal error flagged: %{MATCHED_VAR_NAME}\'"',
    '',
    '# -- Response body --------------------------------------------------------',
    'SecResponseBodyAccess On',
    `SecResponseBodyMimeType ${mime}`,
    `SecResponseBodyLimit ${options.responseBodyLimit ?? 524288}`,
    'SecResponseBodyLimitAction ProcessPartial',
    '',
    '# -- Parsing --------------------------------------------------------------',
    'SecArgumentSeparator &',
    'SecCookieFormat 0',
  ];
  const unicodeMap = options.unicodeMapFile ?? UNICODE_MAP_FILE;
  if (unicodeMap !== false) {
    lines.push('', '# t:urlDecodeUni maps %uHHHH through the best-fit table of code page 20127 (U+2019 becomes a quote).', `SecUnicodeMapFile "${unicodeMap.replace(/\\/g, '/')}" ${UNICODE_CODE_PAGE}`);
  }
  return `${lines.join('\n')}\n`;
}
