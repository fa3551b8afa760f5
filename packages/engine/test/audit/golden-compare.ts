import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { indexFields, jsonFields, nativeV3Fields, readIndexLog, readNativeLog, type Fields } from './audit-log-reader';
import type { Variant, Written } from './v3-golden';

/**
 * One listed difference between libmodsecurity 3.0.9's records and Rampart's. `fields` are field names as the
 * reader gives them, `*` matching any one dot-separated part (`H.*.ref`); `records` the unique ids it applies
 * to (all when absent).
 */
export interface Deviation {
  fields: string[];
  records?: string[];
  /** `libmodsecurity-3.0.9`: its own bug, Rampart writes what v3 means; `by-design`: Rampart differs on purpose;
   *  `pending`: waits for work in progress elsewhere (named in the reason). */
  kind: 'libmodsecurity-3.0.9' | 'by-design' | 'pending';
  reason: string;
}

export function readDeviations(file: string): Deviation[] {
  const list = JSON.parse(fs.readFileSync(file, 'utf8')) as Deviation[];
  for (const d of list) {
    if (!Array.isArray(d.fields) || d.fields.length === 0 || typeof d.reason !== 'string' || d.reason.length < 20) {
      throw new Error(`deviation without fields or a reason: ${JSON.stringify(d)}`);
    }
  }
  return list;
}

const patternOf = (p: string): RegExp => new RegExp(`^${p.split('.').map((part) => (part === '*' ? '[^.]+' : part.replace(/[|\\{}()[\]^$+?.#]/g, '\\$&'))).join('\\.')}$`);

/** Fields no comparison can hold equal: times of day, random record boundaries, host identity. */
const NOT_COMPARED = [/^A\.time$/, /^time$/, /^transaction\.time_stamp$/, /^transaction\.server_id$/];

export interface Difference {
  variant: Variant;
  record: string;
  field: string;
  v3: string | undefined;
  rampart: string | undefined;
}

/** The fields of every record of one variant's output, by unique id. */
export function fieldsByRecord(variant: Variant, w: Written): Map<string, Fields> {
  const out = new Map<string, Fields>();
  if (variant === 'json-serial') {
    for (const line of w.log.split('\n').filter((l) => l !== '')) {
      const f = jsonFields(line);
      out.set(f.get('transaction.unique_id')!, f);
    }
    return out;
  }
  if (variant === 'native-serial') {
    for (const r of readNativeLog(w.log)) {
      const f = nativeV3Fields(r);
      out.set(f.get('A.unique_id')!, f);
    }
    return out;
  }
  // Concurrent: each record file, and its index line under `index.*`.
  for (const [id, text] of w.files) {
    const records = readNativeLog(text);
    if (records.length !== 1) throw new Error(`${id}: a Concurrent file holds one record, found ${records.length}`);
    out.set(id, nativeV3Fields(records[0]!));
  }
  for (const line of readIndexLog(w.log)) {
    const f = out.get(line.unique_id);
    if (!f) throw new Error(`index line for ${line.unique_id} names no record file`);
    for (const [k, v] of indexFields(line)) {
      // The path's time-based directories and name hold the time of day; size and md5 hash a record that holds
      // times and a random boundary (both are checked against the file itself, see checkIndex).
      if (k === 'time' || k === 'size' || k === 'md5') continue;
      f.set(`index.${k}`, k === 'file' ? v.replace(/\/\d{8}\/\d{8}-\d{4}\/\d{8}-\d{6}-/, '/<day>/<minute>/<second>-') : v);
    }
  }
  return out;
}

/** Every field that differs and is not one that cannot be equal. */
export function differences(variant: Variant, v3: Map<string, Fields>, rampart: Map<string, Fields>): Difference[] {
  const out: Difference[] = [];
  const ids = new Set([...v3.keys(), ...rampart.keys()]);
  for (const id of ids) {
    const a = v3.get(id) ?? new Map<string, string>();
    const b = rampart.get(id) ?? new Map<string, string>();
    if (!v3.has(id) || !rampart.has(id)) out.push({ variant, record: id, field: 'record', v3: v3.has(id) ? 'present' : undefined, rampart: rampart.has(id) ? 'present' : undefined });
    for (const k of new Set([...a.keys(), ...b.keys()])) {
      if (NOT_COMPARED.some((re) => re.test(k))) continue;
      if (a.get(k) !== b.get(k)) out.push({ variant, record: id, field: k, v3: a.get(k), rampart: b.get(k) });
    }
  }
  return out;
}

export function coveredBy(d: Difference, deviations: readonly Deviation[]): Deviation | undefined {
  return deviations.find((dev) => (dev.records === undefined || dev.records.includes(d.record)) && dev.fields.some((p) => patternOf(p).test(d.field)));
}

/**
 * A Concurrent run's own consistency: each index line names a file that exists, with the size (as `%f`) and MD5
 * of its bytes. Run on the files as written, before paths are replaced by placeholders.
 */
export function checkIndex(dir: string): string[] {
  const problems: string[] = [];
  for (const line of readIndexLog(fs.readFileSync(path.join(dir, 'audit.log')).toString('latin1'))) {
    if (!fs.existsSync(line.file)) {
      problems.push(`${line.unique_id}: ${line.file} does not exist`);
      continue;
    }
    const bytes = fs.readFileSync(line.file);
    if (line.size !== `${bytes.length}.000000`) problems.push(`${line.unique_id}: size ${line.size}, file has ${bytes.length} bytes`);
    const md5 = crypto.createHash('md5').update(bytes).digest('hex');
    if (line.md5 !== md5) problems.push(`${line.unique_id}: md5 ${line.md5}, file's is ${md5}`);
  }
  return problems;
}
