import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { CrsError } from './errors';
import { compareCrsVersions, crsMajor, isCrsVersion } from './version';

/**
 * A CRS copy as the ready-made configurations need it: where its rules and setup template are, which release
 * it is (read from the tree itself), and the exclusion files a distribution places around the rules.
 */
export interface CrsTree {
  readonly dir: string;
  /** The release, from the rules' own `SecComponentSignature "OWASP_CRS/<version>"`. */
  readonly version: string;
  readonly major: 3 | 4;
  readonly rulesDir: string;
  /** `crs-setup.conf.example` of a release tree, or the setup file a distribution's loader names. */
  readonly setupFile: string;
  /** Files a distribution includes before / after the rules (Debian's REQUEST-900 / RESPONSE-999 exclusions). */
  readonly beforeRules: readonly string[];
  readonly afterRules: readonly string[];
  /** Things the reader noticed that the user should know (shown as load warnings). */
  readonly notes: readonly string[];
}

const SIGNATURE = /^\s*SecComponentSignature\s+"?OWASP_CRS\/([^"\s]+)"?/m;
/** CRS_VERSION-style staging notes (`tag: v4.28.0`) or a bare release number. */
const VERSION_FILE = /^(?:tag:\s*v?)?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)\s*$/m;

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}

/** The release a tree declares: the rules' SecComponentSignature, else a VERSION file. */
export function readCrsVersion(dir: string): { version: string; from: string; notes: string[] } {
  const notes: string[] = [];
  const init = path.join(dir, 'rules', 'REQUEST-901-INITIALIZATION.conf');
  const versionFile = path.join(dir, 'VERSION');
  let fromSignature: string | undefined;
  if (existsSync(init)) fromSignature = SIGNATURE.exec(readFileSync(init, 'latin1'))?.[1];
  let fromFile: string | undefined;
  if (existsSync(versionFile)) fromFile = VERSION_FILE.exec(readFileSync(versionFile, 'utf8'))?.[1];
  if (fromSignature !== undefined && fromFile !== undefined && fromSignature !== fromFile) {
    notes.push(`${versionFile} says ${fromFile} but the rules say OWASP_CRS/${fromSignature}: using ${fromSignature}`);
  }
  const version = fromSignature ?? fromFile;
  if (version === undefined || !isCrsVersion(version)) {
    throw new CrsError(
      'CRS_VERSION_UNKNOWN',
      `cannot tell which CRS release ${dir} is: no SecComponentSignature "OWASP_CRS/x.y.z" in ${init} and no VERSION file`,
    );
  }
  return { version, from: fromSignature !== undefined ? init : versionFile, notes };
}

/** `Include` / `IncludeOptional` paths of a distribution's loader file (Debian: owasp-crs.load). */
function loaderIncludes(file: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(file, 'latin1').split('\n')) {
    const m = /^\s*Include(?:Optional)?\s+"?([^"\s]+)"?\s*$/i.exec(line);
    if (m?.[1] !== undefined) out.push(m[1]);
  }
  return out;
}

/**
 * Reads a CRS tree: a release (GitHub archive, `rampart crs fetch`), or a distribution's layout such as
 * Debian's `modsecurity-crs` (rules in /usr/share/modsecurity-crs, `crs-setup.conf` and the exclusion files in
 * /etc/modsecurity/crs, named by the package's `owasp-crs.load`). Only CRS 3.x and 4.x are configured.
 */
export function readCrsTree(dir: string): CrsTree {
  const root = path.resolve(dir);
  const rulesDir = path.join(root, 'rules');
  if (!isDir(rulesDir)) throw new CrsError('CRS_NOT_FOUND', `${root} has no rules/ directory: not a CRS tree`);
  const { version, notes } = readCrsVersion(root);
  const major = crsMajor(version);
  if (major !== 3 && major !== 4) {
    throw new CrsError('CRS_VERSION_UNSUPPORTED', `${root} is CRS ${version}: Rampart configures CRS 3.x and 4.x`);
  }
  if (major === 3 && compareCrsVersions(version, '3.3.0') < 0) {
    notes.push(`CRS ${version} predates 3.3; Rampart is tested with 3.3.x and 4.x`);
  }
  let setupFile: string | undefined;
  const beforeRules: string[] = [];
  const afterRules: string[] = [];
  for (const name of ['crs-setup.conf.example', 'crs-setup.conf']) {
    if (existsSync(path.join(root, name))) {
      setupFile = path.join(root, name);
      break;
    }
  }
  const loader = path.join(root, 'owasp-crs.load');
  if (existsSync(loader)) {
    let seenRules = false;
    for (const inc of loaderIncludes(loader)) {
      if (/crs-setup\.conf$/.test(inc)) {
        if (setupFile === undefined && existsSync(inc)) setupFile = inc;
      } else if (inc.startsWith(rulesDir) || /\/rules\/\*\.conf$/.test(inc)) {
        seenRules = true;
      } else if (existsSync(inc)) {
        (seenRules ? afterRules : beforeRules).push(inc);
      }
    }
  }
  if (setupFile === undefined) {
    throw new CrsError('CRS_SETUP_INVALID', `${root} has no crs-setup.conf.example (nor a crs-setup.conf named by an owasp-crs.load)`);
  }
  return { dir: root, version, major, rulesDir, setupFile, beforeRules, afterRules, notes };
}
