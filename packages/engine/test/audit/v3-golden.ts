/**
 * The golden audit records of libmodsecurity 3.0.9 (Debian 12's) for the six requests of issue 22, and how to
 * produce the same records from libmodsecurity (tools/modsec-harness) and from Rampart: one configuration
 * (modsecurity.conf-recommended with SecRuleEngine On, CRS 4.28.0), written three ways (Native Serial, Native
 * Concurrent, JSON Serial).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createWaf } from '../../src';
import { readDescribed, runDescribed, type DescribedResult } from './described-transactions';

export const SHARED = path.resolve(__dirname, '../../../../../shared');
export const CRS_DIR = path.join(SHARED, 'crs4');
export const GOLDEN_DIR = path.join(__dirname, 'fixtures', 'v3-golden');
export const TRANSACTIONS = path.join(GOLDEN_DIR, 'transactions.json');
const HARNESS_BUILD = path.resolve(__dirname, '../../../../tools/modsec-harness/build.sh');

export type Variant = 'native-serial' | 'native-concurrent' | 'json-serial';
export const VARIANTS: readonly Variant[] = ['native-serial', 'native-concurrent', 'json-serial'];

/** Placeholders for the machine-specific paths in stored records. */
const CRS_MARK = '@CRS@';
const STORAGE_MARK = '@STORAGE@';

/**
 * modsecurity.conf as the setup guide makes it (the recommended file with SecRuleEngine On, then CRS's
 * crs-setup.conf and rules), its paths moved into `dir`, logging as `variant` says.
 */
export function writeConfig(dir: string, variant: Variant): string {
  const recommended = fs.readFileSync(path.join(SHARED, 'modsecurity/modsecurity.conf-recommended'), 'latin1');
  fs.copyFileSync(path.join(SHARED, 'modsecurity/unicode.mapping'), path.join(dir, 'unicode.mapping'));
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  let conf = recommended
    .replace(/^SecRuleEngine DetectionOnly$/m, 'SecRuleEngine On')
    .replace(/^SecDataDir .*$/m, `SecDataDir ${dir}/data`)
    .replace(/^SecUnicodeMapFile unicode\.mapping/m, `SecUnicodeMapFile ${dir}/unicode.mapping`)
    .replace(/^SecAuditLog .*$/m, `SecAuditLog ${dir}/audit.log`);
  if (variant === 'native-concurrent') {
    fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
    conf = conf.replace(/^SecAuditLogType Serial$/m, `SecAuditLogType Concurrent\nSecAuditLogStorageDir ${dir}/storage`);
  }
  if (variant === 'json-serial') conf = conf.replace(/^SecAuditLogParts .*$/m, (line) => `${line}\nSecAuditLogFormat JSON`);
  const file = path.join(dir, 'modsecurity.conf');
  fs.writeFileSync(file, `${conf}\nInclude ${CRS_DIR}/crs-setup.conf.example\nInclude ${CRS_DIR}/rules/*.conf\n`, 'latin1');
  return file;
}

/** What one engine wrote for a variant: the Serial log or index, and the Concurrent record files by unique id. */
export interface Written {
  log: string;
  files: Map<string, string>;
}

/** Reads what a run left in `dir`, with machine-specific paths replaced by placeholders. */
export function collect(dir: string): Written {
  const normalise = (s: string): string => s.split(CRS_DIR).join(CRS_MARK).split(`${dir}/storage`).join(STORAGE_MARK);
  const log = normalise(fs.readFileSync(path.join(dir, 'audit.log')).toString('latin1'));
  const files = new Map<string, string>();
  const storage = path.join(dir, 'storage');
  if (fs.existsSync(storage)) {
    for (const f of fs.readdirSync(storage, { recursive: true }) as string[]) {
      const full = path.join(storage, f);
      if (!fs.statSync(full).isFile()) continue;
      // `/20261207/20261207-2209/20261207-220957-<unique id>`
      const id = path.basename(f).replace(/^\d{8}-\d{6}-/, '');
      files.set(id, normalise(fs.readFileSync(full).toString('latin1')));
    }
  }
  return { log, files };
}

/** Runs the six transactions through Rampart with the variant's configuration; the records go where it says. */
export function runRampart(dir: string, variant: Variant): { written: Written; results: DescribedResult[] } {
  const conf = writeConfig(dir, variant);
  // The harness names itself as the connector; Rampart is told the same, so `producer.connector` compares.
  const waf = createWaf({ files: [conf], onWarning: () => undefined, connector: { name: 'modsec-harness' } });
  try {
    const results = readDescribed(TRANSACTIONS).map((d, i) => runDescribed(waf, d, i));
    return { written: collect(dir), results };
  } finally {
    waf.close();
  }
}

/** The harness binary, built on demand; undefined (with the reason) when libmodsecurity or gcc is missing. */
export function buildHarness(): { bin?: string; reason?: string } {
  const r = spawnSync('bash', [HARNESS_BUILD], { encoding: 'utf8' });
  if (r.status !== 0) return { reason: (r.stderr || r.stdout || 'build failed').trim() };
  return { bin: r.stdout.trim() };
}

export interface HarnessResult {
  id: string;
  status: number;
  interventions: Array<{ phase: string; status: number; url: string | null; log: string | null }>;
  log: string[];
}

/** Runs the six transactions through libmodsecurity with the variant's configuration. */
export function runLibmodsecurity(bin: string, dir: string, variant: Variant): { written: Written; results: HarnessResult[] } {
  const conf = writeConfig(dir, variant);
  const r = spawnSync(bin, [conf, TRANSACTIONS], { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`modsec-harness failed (${r.status}): ${r.stderr}`);
  const results = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as HarnessResult);
  return { written: collect(dir), results };
}

/** Where the stored golden record files of a variant live. */
export function goldenPaths(variant: Variant): { log: string; filesDir: string } {
  return { log: path.join(GOLDEN_DIR, `${variant}.log`), filesDir: path.join(GOLDEN_DIR, `${variant}.records`) };
}

export function readGolden(variant: Variant): Written {
  const p = goldenPaths(variant);
  const files = new Map<string, string>();
  if (fs.existsSync(p.filesDir)) for (const f of fs.readdirSync(p.filesDir)) files.set(f, fs.readFileSync(path.join(p.filesDir, f)).toString('latin1'));
  return { log: fs.readFileSync(p.log).toString('latin1'), files };
}

export function writeGolden(variant: Variant, w: Written): void {
  const p = goldenPaths(variant);
  fs.writeFileSync(p.log, Buffer.from(w.log, 'latin1'));
  fs.rmSync(p.filesDir, { recursive: true, force: true });
  if (w.files.size > 0) {
    fs.mkdirSync(p.filesDir);
    for (const [id, text] of w.files) fs.writeFileSync(path.join(p.filesDir, id), Buffer.from(text, 'latin1'));
  }
}

/** `@CRS@` and `@STORAGE@` back to paths (a Concurrent index names its files). */
export function placeholders(): { crs: string; storage: string } {
  return { crs: CRS_MARK, storage: STORAGE_MARK };
}
