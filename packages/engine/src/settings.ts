import * as path from 'node:path';
import type { SettingNode } from '@rampart/seclang';
import { loadUnicodeMap } from './transformations/unicode-map';

export type EngineMode = 'On' | 'Off' | 'DetectionOnly';

/** Engine-wide settings from configuration directives, with ModSecurity's defaults. */
export interface WafSettings {
  ruleEngine: EngineMode;
  requestBodyAccess: boolean;
  requestBodyLimit: number;
  /** Unset unless configured: libmodsecurity v3 applies SecRequestBodyNoFilesLimit only when it is given. */
  requestBodyNoFilesLimit: number | undefined;
  requestBodyInMemoryLimit: number;
  requestBodyLimitAction: 'Reject' | 'ProcessPartial';
  requestBodyJsonDepthLimit: number;
  argumentsLimit: number;
  responseBodyAccess: boolean;
  responseBodyLimit: number;
  responseBodyLimitAction: 'Reject' | 'ProcessPartial';
  responseBodyMimeTypes: string[];
  /**
   * Whether SecResponseBodyMimeType or SecResponseBodyMimeTypesClear was given: the first one replaces the default
   * list (text/plain, text/html), and libmodsecurity v3 runs phase 4 for every Content-Type until one of them is
   * (Transaction::processResponseBody).
   */
  responseBodyMimeTypesSet: boolean;
  argumentSeparator: string;
  cookieFormat: 0 | 1;
  unicodeMapFile?: string;
  unicodeCodePage?: number;
  unicodeMap?: Map<number, number>;
  uploadDir?: string;
  uploadKeepFiles: 'On' | 'Off' | 'RelevantOnly';
  uploadFileLimit: number;
  uploadFileMode: number;
  tmpDir?: string;
  tmpSaveUploadedFiles: boolean;
  dataDir?: string;
  collectionTimeout: number;
  webAppId?: string;
  sensorId?: string;
  serverSignature?: string;
  componentSignatures: string[];
  auditEngine: 'On' | 'Off' | 'RelevantOnly';
  auditLog?: string;
  auditLog2?: string;
  auditLogParts: string;
  auditLogRelevantStatus?: string;
  auditLogType: 'Serial' | 'Concurrent' | 'Parallel' | 'HTTPS';
  auditLogFormat: 'Native' | 'JSON';
  auditLogStorageDir?: string;
  auditLogDirMode: number;
  auditLogFileMode: number;
  debugLog?: string;
  debugLogLevel: number;
  xmlExternalEntity: boolean;
  geoLookupDb?: string;
  httpBlKey?: string;
  pcreMatchLimit: number;
  pcreMatchLimitRecursion: number;
}

export function defaultSettings(): WafSettings {
  return {
    // ModSecurity v3 without SecRuleEngine evaluates rules but never disrupts (its "not set" state is neither
    // Enabled nor Disabled): that is DetectionOnly.
    ruleEngine: 'DetectionOnly',
    // libmodsecurity v3 skips the request body only on an explicit `SecRequestBodyAccess Off` (transaction.cc
    // processRequestBody): a configuration that does not say processes it.
    requestBodyAccess: true,
    requestBodyLimit: 134217728,
    requestBodyNoFilesLimit: undefined,
    requestBodyInMemoryLimit: 131072,
    // libmodsecurity v3 rejects an over-long body only on an explicit `SecRequestBodyLimitAction Reject`
    // (transaction.cc appendRequestBody); unset, it keeps going. Rampart then inspects the part under the limit.
    requestBodyLimitAction: 'ProcessPartial',
    requestBodyJsonDepthLimit: 10000,
    argumentsLimit: 1000,
    responseBodyAccess: false,
    responseBodyLimit: 524288,
    responseBodyLimitAction: 'ProcessPartial',
    responseBodyMimeTypes: ['text/plain', 'text/html'],
    responseBodyMimeTypesSet: false,
    argumentSeparator: '&',
    cookieFormat: 0,
    uploadKeepFiles: 'Off',
    uploadFileLimit: 100,
    uploadFileMode: 0o600,
    tmpSaveUploadedFiles: false,
    collectionTimeout: 3600,
    componentSignatures: [],
    auditEngine: 'Off',
    auditLogParts: 'ABCFHZ',
    auditLogType: 'Serial',
    auditLogFormat: 'Native',
    auditLogDirMode: 0o750,
    auditLogFileMode: 0o640,
    debugLogLevel: 0,
    xmlExternalEntity: false,
    pcreMatchLimit: 3000,
    pcreMatchLimitRecursion: 1000,
  };
}

export interface SettingContext {
  /** Directory of the file the directive is in, for relative paths. */
  dir: string;
  warn(message: string): void;
  /** Reads a file the directive names (SecUnicodeMapFile): regular files under the size limit only. */
  readFile(absPath: string): string;
}

type Handler = (args: string[], s: WafSettings, ctx: SettingContext) => void;

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], directive: string): T => {
  const found = allowed.find((a) => a.toLowerCase() === (value ?? '').toLowerCase());
  if (!found) throw new Error(`${directive} takes ${allowed.join(', ')}, got '${value ?? ''}'`);
  return found;
};
const onOff = (value: string | undefined, directive: string): boolean => oneOf(value, ['On', 'Off'] as const, directive) === 'On';
const int = (value: string | undefined, directive: string): number => {
  if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${directive} takes a non-negative integer, got '${value ?? ''}'`);
  return Number(value);
};
const octal = (value: string | undefined, directive: string): number => {
  if (value === undefined || !/^0?[0-7]{3}$/.test(value)) throw new Error(`${directive} takes an octal file mode such as 0600, got '${value ?? ''}'`);
  return Number.parseInt(value, 8);
};
const resolvePath = (p: string, ctx: SettingContext): string => (path.isAbsolute(p) ? p : path.resolve(ctx.dir, p));

/** Accepted because it has no meaning outside the web server it was written for; the reason is kept for docs. */
const acceptedNoOp = (_reason: string): Handler => () => undefined;
/** Accepted only with the value that means "disabled"; anything else is refused with the reason. */
const onlyOff =
  (directive: string, reason: string): Handler =>
  (args) => {
    if ((args[0] ?? '').toLowerCase() !== 'off') throw new Error(`${directive} ${args[0] ?? ''} is not supported: ${reason}. Only '${directive} Off' is accepted.`);
  };
const refused =
  (directive: string, reason: string): Handler =>
  () => {
    throw new Error(`${directive} is not supported: ${reason}`);
  };

/**
 * Every configuration directive, by lower-case name. A directive is implemented, accepted with the reason
 * it means nothing here, or refused with a message — never silently ignored.
 */
export const settingHandlers: Record<string, Handler> = {
  secruleengine: (a, s) => {
    s.ruleEngine = oneOf(a[0], ['On', 'Off', 'DetectionOnly'] as const, 'SecRuleEngine');
  },
  secrequestbodyaccess: (a, s) => {
    s.requestBodyAccess = onOff(a[0], 'SecRequestBodyAccess');
  },
  secrequestbodylimit: (a, s) => {
    s.requestBodyLimit = int(a[0], 'SecRequestBodyLimit');
  },
  secrequestbodynofileslimit: (a, s) => {
    s.requestBodyNoFilesLimit = int(a[0], 'SecRequestBodyNoFilesLimit');
  },
  // Bodies are held in memory up to SecRequestBodyLimit; the value bounds what is kept in memory for uploads.
  secrequestbodyinmemorylimit: (a, s) => {
    s.requestBodyInMemoryLimit = int(a[0], 'SecRequestBodyInMemoryLimit');
  },
  secrequestbodylimitaction: (a, s) => {
    s.requestBodyLimitAction = oneOf(a[0], ['Reject', 'ProcessPartial'] as const, 'SecRequestBodyLimitAction');
  },
  secrequestbodyjsondepthlimit: (a, s) => {
    s.requestBodyJsonDepthLimit = int(a[0], 'SecRequestBodyJsonDepthLimit');
  },
  secargumentslimit: (a, s) => {
    s.argumentsLimit = int(a[0], 'SecArgumentsLimit');
  },
  secresponsebodyaccess: (a, s) => {
    s.responseBodyAccess = onOff(a[0], 'SecResponseBodyAccess');
  },
  secresponsebodylimit: (a, s) => {
    s.responseBodyLimit = int(a[0], 'SecResponseBodyLimit');
  },
  secresponsebodylimitaction: (a, s) => {
    s.responseBodyLimitAction = oneOf(a[0], ['Reject', 'ProcessPartial'] as const, 'SecResponseBodyLimitAction');
  },
  secresponsebodymimetype: (a, s) => {
    // The first one replaces the default list, later ones add to it (ModSecurity v2; v3 starts from an empty list).
    if (!s.responseBodyMimeTypesSet) s.responseBodyMimeTypes = [];
    s.responseBodyMimeTypesSet = true;
    for (const arg of a) for (const t of arg.split(/\s+/)) if (t && !s.responseBodyMimeTypes.includes(t.toLowerCase())) s.responseBodyMimeTypes.push(t.toLowerCase());
  },
  secresponsebodymimetypesclear: (_a, s) => {
    s.responseBodyMimeTypes = [];
    s.responseBodyMimeTypesSet = true;
  },
  secargumentseparator: (a, s) => {
    const v = a[0] ?? '';
    if (v.length !== 1) throw new Error(`SecArgumentSeparator takes exactly one character, got '${v}'`);
    s.argumentSeparator = v;
  },
  seccookieformat: (a, s) => {
    const v = a[0];
    if (v !== '0' && v !== '1') throw new Error(`SecCookieFormat takes 0 or 1, got '${v ?? ''}'`);
    s.cookieFormat = v === '0' ? 0 : 1;
  },
  seccookiev0separator: (a) => {
    if ((a[0] ?? '').length !== 1) throw new Error(`SecCookieV0Separator takes one character, got '${a[0] ?? ''}'`);
    if (a[0] !== ';') throw new Error(`SecCookieV0Separator '${a[0]}' is not supported: cookies are split on ';' (the RFC 6265 separator)`);
  },
  secunicodemapfile: (a, s, ctx) => {
    const file = resolvePath(a[0] ?? '', ctx);
    const codePage = a[1] === undefined ? (s.unicodeCodePage ?? 0) : int(a[1], 'SecUnicodeMapFile');
    let text: string;
    try {
      text = ctx.readFile(file);
    } catch (e) {
      throw new Error(`SecUnicodeMapFile: cannot read '${file}': ${(e as Error).message}`);
    }
    s.unicodeMapFile = file;
    s.unicodeCodePage = codePage;
    s.unicodeMap = loadUnicodeMap(text, codePage);
  },
  secunicodecodepage: (a, s) => {
    s.unicodeCodePage = int(a[0], 'SecUnicodeCodePage');
  },
  secuploaddir: (a, s, ctx) => {
    s.uploadDir = resolvePath(a[0] ?? '', ctx);
  },
  secuploadkeepfiles: (a, s) => {
    s.uploadKeepFiles = oneOf(a[0], ['On', 'Off', 'RelevantOnly'] as const, 'SecUploadKeepFiles');
  },
  secuploadfilelimit: (a, s) => {
    s.uploadFileLimit = int(a[0], 'SecUploadFileLimit');
  },
  secuploadfilemode: (a, s) => {
    s.uploadFileMode = octal(a[0], 'SecUploadFileMode');
  },
  sectmpsaveuploadedfiles: (a, s) => {
    s.tmpSaveUploadedFiles = onOff(a[0], 'SecTmpSaveUploadedFiles');
  },
  sectmpdir: (a, s, ctx) => {
    s.tmpDir = resolvePath(a[0] ?? '', ctx);
  },
  secdatadir: (a, s, ctx) => {
    s.dataDir = resolvePath(a[0] ?? '', ctx);
  },
  seccollectiontimeout: (a, s) => {
    s.collectionTimeout = int(a[0], 'SecCollectionTimeout');
  },
  secwebappid: (a, s) => {
    s.webAppId = a[0] ?? '';
  },
  secsensorid: (a, s) => {
    s.sensorId = a[0] ?? '';
  },
  secserversignature: (a, s) => {
    s.serverSignature = a[0] ?? '';
  },
  seccomponentsignature: (a, s) => {
    s.componentSignatures.push(a[0] ?? '');
  },
  secauditengine: (a, s) => {
    s.auditEngine = oneOf(a[0], ['On', 'Off', 'RelevantOnly'] as const, 'SecAuditEngine');
  },
  secauditlog: (a, s, ctx) => {
    const v = a[0] ?? '';
    if (v.startsWith('|')) throw new Error('SecAuditLog to a piped program is not supported: write to a file and ship it with a log collector');
    s.auditLog = resolvePath(v, ctx);
  },
  secauditlog2: (a, s, ctx) => {
    s.auditLog2 = resolvePath(a[0] ?? '', ctx);
  },
  secauditlogparts: (a, s) => {
    const v = a[0] ?? '';
    if (!/^[A-KZ]+$/.test(v)) throw new Error(`SecAuditLogParts takes letters A-K and Z, got '${v}'`);
    s.auditLogParts = v;
  },
  secauditlogrelevantstatus: (a, s) => {
    s.auditLogRelevantStatus = a[0] ?? '';
  },
  secauditlogtype: (a, s) => {
    const v = oneOf(a[0], ['Serial', 'Concurrent', 'Parallel', 'HTTPS'] as const, 'SecAuditLogType');
    if (v === 'HTTPS') throw new Error('SecAuditLogType HTTPS is not supported: write Serial or Concurrent logs and ship them with a log collector');
    s.auditLogType = v;
  },
  secauditlogformat: (a, s) => {
    s.auditLogFormat = oneOf(a[0], ['Native', 'JSON'] as const, 'SecAuditLogFormat');
  },
  secauditlogstoragedir: (a, s, ctx) => {
    s.auditLogStorageDir = resolvePath(a[0] ?? '', ctx);
  },
  secauditlogdirmode: (a, s) => {
    s.auditLogDirMode = (a[0] ?? '').toLowerCase() === 'default' ? 0o750 : octal(a[0], 'SecAuditLogDirMode');
  },
  secauditlogfilemode: (a, s) => {
    s.auditLogFileMode = (a[0] ?? '').toLowerCase() === 'default' ? 0o640 : octal(a[0], 'SecAuditLogFileMode');
  },
  secdebuglog: (a, s, ctx) => {
    s.debugLog = resolvePath(a[0] ?? '', ctx);
  },
  secdebugloglevel: (a, s) => {
    const n = int(a[0], 'SecDebugLogLevel');
    if (n > 9) throw new Error(`SecDebugLogLevel takes 0-9, got '${a[0] ?? ''}'`);
    s.debugLogLevel = n;
  },
  // On lets libxml2 read the schema or DTD file of @validateSchema / @validateDTD, as in v3. A request body's
  // external entities are never loaded either way (XXE protection): neither Rampart's XML parser nor its libxml2
  // reads a file or a URL a body names.
  secxmlexternalentity: (a, s) => {
    s.xmlExternalEntity = onOff(a[0], 'SecXmlExternalEntity');
  },
  secgeolookupdb: (a, s, ctx) => {
    s.geoLookupDb = resolvePath(a[0] ?? '', ctx);
  },
  sechttpblkey: (a, s) => {
    s.httpBlKey = a[0] ?? '';
  },
  // RE2 matches in linear time; the limits bound the backtracking fallback used for PCRE-only patterns.
  secpcrematchlimit: (a, s) => {
    s.pcreMatchLimit = int(a[0], 'SecPcreMatchLimit');
  },
  secpcrematchlimitrecursion: (a, s) => {
    s.pcreMatchLimitRecursion = int(a[0], 'SecPcreMatchLimitRecursion');
  },
  secstatusengine: acceptedNoOp('ModSecurity\'s status reporting sends usage data to a remote host; Rampart never phones home'),
  seccachetransformations: acceptedNoOp('transformation results are always cached per transaction'),
  secruleinheritance: (a) => {
    if ((a[0] ?? '').toLowerCase() !== 'on' && (a[0] ?? '').toLowerCase() !== 'off') throw new Error(`SecRuleInheritance takes On or Off, got '${a[0] ?? ''}'`);
    // There are no nested Apache configuration contexts: every rule is in the one global context.
  },
  secconnengine: onlyOff('SecConnEngine', 'connection-level limits are the proxy\'s job (HAProxy: maxconn, timeouts)'),
  secconnreadstatelimit: refused('SecConnReadStateLimit', 'connection-level limits are the proxy\'s job (HAProxy: maxconn, timeouts)'),
  secconnwritestatelimit: refused('SecConnWriteStateLimit', 'connection-level limits are the proxy\'s job (HAProxy: maxconn, timeouts)'),
  secstreaminbodyinspection: onlyOff('SecStreamInBodyInspection', 'STREAM_INPUT_BODY rewriting needs a body-rewriting proxy'),
  secstreamoutbodyinspection: onlyOff('SecStreamOutBodyInspection', 'STREAM_OUTPUT_BODY rewriting needs a body-rewriting proxy'),
  seccontentinjection: onlyOff('SecContentInjection', 'content injection needs a body-rewriting proxy'),
  secdisablebackendcompression: onlyOff('SecDisableBackendCompression', 'it is an Apache proxy setting'),
  secinterceptonerror: onlyOff('SecInterceptOnError', 'rule errors never interrupt; they are logged'),
  sechashengine: onlyOff('SecHashEngine', 'the HMAC token feature of ModSecurity v2 is not implemented (v3 refuses it too)'),
  sechashkey: refused('SecHashKey', 'the HMAC token feature of ModSecurity v2 is not implemented (v3 refuses it too)'),
  sechashparam: refused('SecHashParam', 'the HMAC token feature of ModSecurity v2 is not implemented (v3 refuses it too)'),
  sechashmethodrx: refused('SecHashMethodRx', 'the HMAC token feature of ModSecurity v2 is not implemented (v3 refuses it too)'),
  sechashmethodpm: refused('SecHashMethodPm', 'the HMAC token feature of ModSecurity v2 is not implemented (v3 refuses it too)'),
  secrulescript: refused('SecRuleScript', 'Lua rules are not supported'),
  secruleperftime: refused('SecRulePerfTime', 'per-rule timing is measured by `rampart bench`, not in the engine'),
  secguardianlog: refused('SecGuardianLog', 'it is an Apache httpd-guardian feature'),
  secchrootdir: refused('SecChrootDir', 'it is an Apache feature; run the agent under systemd sandboxing instead'),
  secgsblookupdb: refused('SecGsbLookupDb', 'Google Safe Browsing v1 databases no longer exist (ModSecurity v3 refuses it too)'),
  secremoterules: refused('SecRemoteRules', 'rules are loaded from files only; fetch remote rules before start'),
  secremoterulesfailaction: acceptedNoOp('only meaningful with SecRemoteRules, which is refused'),
  secrequestencoding: refused('SecRequestEncoding', 'it is a legacy ModSecurity 1.x setting with no effect in v2 or v3'),
  secdataset: refused('SecDataset', 'Coraza datasets are not implemented; use @pmFromFile / @ipMatchFromFile'),
  secignorerulecompilationerrors: refused('SecIgnoreRuleCompilationErrors', 'rule compilation errors always stop loading'),
  secrxprefilter: acceptedNoOp('regexes already run on RE2 in linear time'),
};

export function applySetting(node: SettingNode, s: WafSettings, ctx: SettingContext): void {
  const handler = settingHandlers[node.name.toLowerCase()];
  if (!handler) throw new Error(`directive ${node.rawName} is not supported by the engine`);
  handler(node.args, s, ctx);
}
