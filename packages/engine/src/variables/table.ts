import type { Collection } from '../collections/collection';
import type { Transaction } from '../transaction';
import { transactionCollectionIndex } from '../collections/transaction-collections';
import { ruleCollection } from './rule';
import { fullRequest } from './full-request';

/**
 * Every variable the engine can supply, declared once. A collection variable returns a Collection (its
 * entries are inspected one by one, selectable by key or regex); a scalar returns one string, or undefined
 * when it has no value yet (ModSecurity then offers nothing to the operator).
 */
export interface VariableDefinition {
  name: string;
  kind: 'collection' | 'scalar';
  read(tx: Transaction): Collection | string | undefined;
  /**
   * Filled from the request or response before the rules that read it run, and never changed by a rule
   * (no action writes ARGS or headers): the evaluator may then iterate the collection itself, uncopied.
   */
  fixed?: boolean;
  /**
   * Rules change the collection only by replacing a key's value (setvar on TX), never by appending to a key:
   * the evaluator may iterate a key's entry list in place.
   */
  setOnly?: boolean;
  /** Position in the table, indexing per-transaction caches (the evaluator's scalar values). */
  slot: number;
}

type Definition = Omit<VariableDefinition, 'slot'>;

const scalar = (name: string, read: (tx: Transaction) => string | undefined): Definition => ({ name, kind: 'scalar', read, fixed: false, setOnly: false });
/**
 * A scalar the transaction stores under its own name. Like ModSecurity v3's anchored variables it always
 * offers a value, the empty string until set: `REQUEST_BASENAME "!@endsWith .pdf"` matches for `/`.
 */
const stored = (name: string): Definition => scalar(name, (tx) => tx.vars.get(name) ?? '');
/** A collection the transaction stores under its own name. */
const coll = (name: string): Definition => {
  const own = transactionCollectionIndex(name);
  const read = own >= 0 ? (tx: Transaction) => tx.ownCollections[own] : (tx: Transaction) => tx.collection(name);
  return { name, kind: 'collection', read, fixed: false, setOnly: false };
};
/** A collection of the request or response that no rule changes. */
const fixedColl = (name: string): Definition => ({ ...coll(name), fixed: true });
/** `*_NAMES`: the keys of another collection, each as key and value. */
const names = (name: string, of: string): Definition => {
  const own = transactionCollectionIndex(of);
  if (own < 0) throw new Error(`variables: ${name} names the keys of ${of}, which is not a transaction collection`);
  return { name, kind: 'collection', read: (tx) => tx.ownNames(own), fixed: true, setOnly: false };
};

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

const table: Definition[] = [
  fixedColl('ARGS'),
  scalar('ARGS_COMBINED_SIZE', (tx) => String(tx.argsCombinedSize())),
  fixedColl('ARGS_GET'),
  names('ARGS_GET_NAMES', 'ARGS_GET'),
  names('ARGS_NAMES', 'ARGS'),
  fixedColl('ARGS_POST'),
  names('ARGS_POST_NAMES', 'ARGS_POST'),
  stored('AUTH_TYPE'),
  scalar('DURATION', (tx) => String(Math.round((performance.now() - tx.startedAt) * 1000))),
  coll('ENV'),
  coll('FILES'),
  stored('FILES_COMBINED_SIZE'),
  coll('FILES_NAMES'),
  coll('FILES_SIZES'),
  coll('FILES_TMPNAMES'),
  coll('FILES_TMP_CONTENT'),
  scalar('FULL_REQUEST', fullRequest),
  stored('FULL_REQUEST_LENGTH'),
  coll('GEO'),
  scalar('HIGHEST_SEVERITY', (tx) => String(tx.highestSeverity)),
  stored('INBOUND_DATA_ERROR'),
  coll('IP'),
  coll('GLOBAL'),
  coll('RESOURCE'),
  coll('SESSION'),
  coll('USER'),
  scalar('MATCHED_VAR', (tx) => tx.matchedVar ?? ''),
  scalar('MATCHED_VAR_NAME', (tx) => tx.matchedVarName ?? ''),
  { ...coll('MATCHED_VARS'), read: (tx) => tx.matchedCollection(false) },
  { ...coll('MATCHED_VARS_NAMES'), read: (tx) => tx.matchedCollection(true) },
  stored('MODSEC_BUILD'),
  stored('MSC_PCRE_ERROR'),
  stored('MSC_PCRE_LIMITS_EXCEEDED'),
  stored('MULTIPART_BOUNDARY_QUOTED'),
  stored('MULTIPART_BOUNDARY_WHITESPACE'),
  stored('MULTIPART_CRLF_LF_LINES'),
  stored('MULTIPART_DATA_AFTER'),
  stored('MULTIPART_DATA_BEFORE'),
  stored('MULTIPART_FILE_LIMIT_EXCEEDED'),
  coll('MULTIPART_FILENAME'),
  stored('MULTIPART_HEADER_FOLDING'),
  stored('MULTIPART_INVALID_HEADER_FOLDING'),
  stored('MULTIPART_INVALID_PART'),
  stored('MULTIPART_INVALID_QUOTING'),
  stored('MULTIPART_LF_LINE'),
  stored('MULTIPART_MISSING_SEMICOLON'),
  coll('MULTIPART_NAME'),
  coll('MULTIPART_PART_HEADERS'),
  stored('MULTIPART_STRICT_ERROR'),
  stored('MULTIPART_UNMATCHED_BOUNDARY'),
  stored('OUTBOUND_DATA_ERROR'),
  stored('PATH_INFO'),
  stored('QUERY_STRING'),
  stored('REMOTE_ADDR'),
  stored('REMOTE_HOST'),
  stored('REMOTE_PORT'),
  stored('REMOTE_USER'),
  stored('REQBODY_ERROR'),
  stored('REQBODY_ERROR_MSG'),
  stored('REQBODY_PROCESSOR'),
  stored('REQBODY_PROCESSOR_ERROR'),
  stored('REQBODY_PROCESSOR_ERROR_MSG'),
  stored('REQUEST_BASENAME'),
  stored('REQUEST_BODY'),
  stored('REQUEST_BODY_LENGTH'),
  fixedColl('REQUEST_COOKIES'),
  names('REQUEST_COOKIES_NAMES', 'REQUEST_COOKIES'),
  stored('REQUEST_FILENAME'),
  fixedColl('REQUEST_HEADERS'),
  names('REQUEST_HEADERS_NAMES', 'REQUEST_HEADERS'),
  stored('REQUEST_LINE'),
  stored('REQUEST_METHOD'),
  stored('REQUEST_PROTOCOL'),
  stored('REQUEST_URI'),
  stored('REQUEST_URI_RAW'),
  stored('RESPONSE_BODY'),
  stored('RESPONSE_CONTENT_LENGTH'),
  stored('RESPONSE_CONTENT_TYPE'),
  fixedColl('RESPONSE_HEADERS'),
  names('RESPONSE_HEADERS_NAMES', 'RESPONSE_HEADERS'),
  stored('RESPONSE_PROTOCOL'),
  stored('RESPONSE_STATUS'),
  { ...coll('RULE'), read: (tx) => ruleCollection(tx) },
  stored('SERVER_ADDR'),
  stored('SERVER_NAME'),
  stored('SERVER_PORT'),
  stored('SESSIONID'),
  stored('STATUS_LINE'),
  stored('STREAM_INPUT_BODY'),
  stored('STREAM_OUTPUT_BODY'),
  scalar('TIME', (tx) => {
    const d = tx.now();
    return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  }),
  scalar('TIME_DAY', (tx) => String(tx.now().getDate())),
  scalar('TIME_EPOCH', (tx) => String(Math.floor(tx.now().getTime() / 1000))),
  scalar('TIME_HOUR', (tx) => String(tx.now().getHours())),
  scalar('TIME_MIN', (tx) => String(tx.now().getMinutes())),
  scalar('TIME_MON', (tx) => String(tx.now().getMonth() + 1)),
  scalar('TIME_SEC', (tx) => String(tx.now().getSeconds())),
  scalar('TIME_WDAY', (tx) => String(tx.now().getDay())),
  scalar('TIME_YEAR', (tx) => String(tx.now().getFullYear())),
  { ...coll('TX'), setOnly: true },
  scalar('UNIQUE_ID', (tx) => tx.id),
  stored('URLENCODED_ERROR'),
  stored('USERAGENT_IP'),
  stored('USERID'),
  stored('WEBAPPID'),
  // `XML` without an XPath is one value on every request, as v3's XML_NoDictElement: @validateSchema and
  // @validateDTD then run even when there is no XML body (and match: nothing to validate). `XML:/xpath` is
  // evaluated by the XPath selector instead.
  { name: 'XML', kind: 'collection', read: () => '[XML document tree]', fixed: false, setOnly: false },
];

/** Alternative spellings ModSecurity v3 and Coraza accept. */
const aliases: Record<string, string> = {
  MULTIPART_SEMICOLON_MISSING: 'MULTIPART_MISSING_SEMICOLON',
  REQUEST_XML: 'XML',
};

// Built field by field in one order, so that every definition has the same hidden class.
const definitions: VariableDefinition[] = table.map((d, slot) => ({ name: d.name, kind: d.kind, read: d.read, fixed: d.fixed, setOnly: d.setOnly, slot }));

const byName = new Map<string, VariableDefinition>();
for (const d of definitions) {
  if (byName.has(d.name)) throw new Error(`variables: duplicate definition of ${d.name}`);
  byName.set(d.name, d);
}
for (const [alias, target] of Object.entries(aliases)) byName.set(alias, byName.get(target)!);

export function findVariableDefinition(name: string): VariableDefinition | undefined {
  return byName.get(name.toUpperCase());
}

export const variableDefinitions: readonly VariableDefinition[] = definitions;
