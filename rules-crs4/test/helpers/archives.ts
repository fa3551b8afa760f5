import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tar from 'tar';

/**
 * A GitHub-style release archive (`<top>/...`, gzip) of `srcDir`, built at test time with node-tar from a copy
 * that `edit` may change first (a different version, a tampered file). Nothing of it is kept on disk.
 */
export function releaseArchive(srcDir: string, top: string, edit?: (dir: string) => void, withTests = false): Buffer {
  const work = mkdtempSync(path.join(os.tmpdir(), 'crs-archive-'));
  try {
    const tree = path.join(work, top);
    // The regression tests are thousands of files: copied only when a test needs them.
    cpSync(srcDir, tree, { recursive: true, filter: (src) => withTests || path.relative(srcDir, src) !== 'tests' });
    edit?.(tree);
    const file = path.join(work, 'archive.tar.gz');
    tar.c({ gzip: true, cwd: work, file, sync: true, portable: true }, [top]);
    return readFileSync(file);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Rewrites a tree's declared release (the rules' SecComponentSignature and its VERSION file). */
export function setTreeVersion(dir: string, version: string): void {
  const init = path.join(dir, 'rules', 'REQUEST-901-INITIALIZATION.conf');
  writeFileSync(init, readFileSync(init, 'latin1').replace(/OWASP_CRS\/[0-9.]+/g, `OWASP_CRS/${version}`), 'latin1');
  writeFileSync(path.join(dir, 'VERSION'), `OWASP CRS (test copy)\ntag: v${version}\n`);
}
