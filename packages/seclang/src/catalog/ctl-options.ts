import type { CtlOptionInfo, Support } from './types';

// Support rows follow anchors-features.md 1(e).
const ALL: Support = { v2: true, v3: true, coraza: true };
const V2_CORAZA: Support = { v2: true, v3: false, coraza: true };
const CORAZA_ONLY: Support = { v2: false, v3: false, coraza: true };

/** Every `ctl:` option (the union of ModSecurity v2, v3 and Coraza), sorted by name, as in `ctl:ruleEngine=Off`. */
export const ctlOptions: readonly CtlOptionInfo[] = [
  { name: 'auditEngine', valueKind: 'engine-mode', support: ALL,
    summary: 'Audit logging for this transaction: On, Off or RelevantOnly.' },
  { name: 'auditLogParts', valueKind: 'parts', support: ALL,
    summary: 'Audit log parts for this transaction (`=ABZ`, `=+E`, `=-E`).' },
  { name: 'debugLogLevel', valueKind: 'integer', support: V2_CORAZA,
    summary: 'Debug log level for this transaction.' },
  { name: 'forceRequestBodyVariable', valueKind: 'on-off', support: { v2: true, v3: false, coraza: true, notes: 'v3 parses it as a no-op (REQUEST_BODY is always set)' },
    summary: 'Fills REQUEST_BODY whatever the body processor.' },
  { name: 'forceResponseBodyVariable', valueKind: 'on-off', support: CORAZA_ONLY,
    summary: 'Fills RESPONSE_BODY whatever the content type (Coraza).' },
  { name: 'hashEnforcement', valueKind: 'on-off', support: { v2: true, v3: false, coraza: false, notes: 'Coraza: parsed, no-op' },
    summary: 'Enforces the hash engine signatures.' },
  { name: 'hashEngine', valueKind: 'on-off', support: { v2: true, v3: false, coraza: false, notes: 'Coraza: parsed, no-op' },
    summary: 'Enables the hash engine for this transaction.' },
  { name: 'requestBodyAccess', valueKind: 'on-off', support: ALL,
    summary: 'Request body inspection for this transaction.' },
  { name: 'requestBodyLimit', valueKind: 'integer', support: { v2: true, v3: false, coraza: true, notes: 'Coraza: phase 1 only' },
    summary: 'Request body limit for this transaction.' },
  { name: 'requestBodyProcessor', valueKind: 'processor', support: { v2: true, v3: true, coraza: true, notes: 'v3: JSON, XML and URLENCODED only' },
    summary: 'The request body processor: URLENCODED, MULTIPART, XML, JSON (and RAW in Coraza).' },
  { name: 'responseBodyAccess', valueKind: 'on-off', support: V2_CORAZA,
    summary: 'Response body inspection for this transaction.' },
  { name: 'responseBodyLimit', valueKind: 'integer', support: V2_CORAZA,
    summary: 'Response body limit for this transaction.' },
  { name: 'responseBodyProcessor', valueKind: 'processor', support: CORAZA_ONLY,
    summary: 'The response body processor (Coraza: JSON, XML).' },
  { name: 'ruleEngine', valueKind: 'engine-mode', support: ALL,
    summary: 'Rule engine mode for this transaction: On, Off or DetectionOnly.' },
  { name: 'ruleRemoveById', valueKind: 'id-range', support: ALL,
    summary: 'Removes rules by id or id range for this transaction.' },
  { name: 'ruleRemoveByMsg', valueKind: 'pattern', support: V2_CORAZA,
    summary: 'Removes rules whose msg matches for this transaction.' },
  { name: 'ruleRemoveByTag', valueKind: 'pattern', support: ALL,
    summary: 'Removes rules with a matching tag for this transaction.' },
  { name: 'ruleRemoveTargetById', valueKind: 'target', support: ALL,
    summary: 'Removes targets from rules by id for this transaction (`=942100;ARGS:pwd`).' },
  { name: 'ruleRemoveTargetByMsg', valueKind: 'target', support: V2_CORAZA,
    summary: 'Removes targets from rules whose msg matches for this transaction.' },
  { name: 'ruleRemoveTargetByTag', valueKind: 'target', support: ALL,
    summary: 'Removes targets from rules with a matching tag for this transaction.' },
];
