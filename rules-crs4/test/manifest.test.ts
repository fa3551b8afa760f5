import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assertCrsDir,
  BUNDLED_MANIFEST_PATH,
  computeManifest,
  CrsError,
  formatManifest,
  loadBundledManifest,
  parseManifest,
  verifyCrsDir,
} from '../src';

const SHARED = path.resolve(__dirname, '..', '..', '..', 'shared', 'crs4');

describe('manifest', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'crs-manifest-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('the committed manifest is exactly what the generator computes from the shared CRS copy', () => {
    expect(readFileSync(BUNDLED_MANIFEST_PATH, 'utf8')).toBe(formatManifest(computeManifest(SHARED)));
  });

  it('lists every rule and data file, hashes only', () => {
    const entries = loadBundledManifest();
    const files = entries.map((e) => e.file);
    expect(files).toContain('crs-setup.conf.example');
    expect(files).toContain('rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf');
    expect(files).toContain('rules/unix-shell.data');
    expect(files.filter((f) => f.endsWith('.conf') && !f.endsWith('.example'))).toHaveLength(27);
    expect(files.filter((f) => f.endsWith('.data'))).toHaveLength(21);
    expect(readFileSync(BUNDLED_MANIFEST_PATH, 'utf8')).not.toContain('SecRule');
    for (const e of entries) expect(e.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('verifies the shared copy', () => {
    const result = verifyCrsDir(SHARED);
    expect(result).toEqual({ ok: true, missing: [], mismatched: [], extra: [] });
  });

  it('names every modified and missing file', () => {
    cpSync(SHARED, tmp, { recursive: true });
    appendFileSync(path.join(tmp, 'rules', 'REQUEST-942-APPLICATION-ATTACK-SQLI.conf'), '\n# tampered\n');
    writeFileSync(path.join(tmp, 'rules', 'sql-errors.data'), 'x');
    rmSync(path.join(tmp, 'rules', 'REQUEST-901-INITIALIZATION.conf'));
    writeFileSync(path.join(tmp, 'rules', 'REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf'), '# mine\n');
    const result = verifyCrsDir(tmp);
    expect(result.ok).toBe(false);
    expect(result.missing).toEqual(['rules/REQUEST-901-INITIALIZATION.conf']);
    expect(result.mismatched).toEqual(['rules/REQUEST-942-APPLICATION-ATTACK-SQLI.conf', 'rules/sql-errors.data']);
    expect(result.extra).toEqual(['rules/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf']);
    expect(() => assertCrsDir(tmp)).toThrow(/REQUEST-901-INITIALIZATION\.conf.*REQUEST-942-APPLICATION-ATTACK-SQLI\.conf, rules\/sql-errors\.data/);
    try {
      assertCrsDir(tmp);
    } catch (err) {
      expect((err as CrsError).code).toBe('CRS_MANIFEST_MISMATCH');
    }
  });

  it('rejects malformed manifests with the line number', () => {
    expect(() => parseManifest('# c\nnot a line\n', 'm')).toThrow('m:2: expected');
    expect(() => parseManifest(`${'a'.repeat(64)}  ../etc/passwd\n`)).toThrow(/escapes/);
    expect(() => parseManifest('# only comments\n')).toThrow(/no entries/);
    expect(parseManifest(`${'b'.repeat(64)}  rules/x.conf\r\n`)).toEqual([{ sha256: 'b'.repeat(64), file: 'rules/x.conf' }]);
  });
});
