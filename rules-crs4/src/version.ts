/** The release `rampart crs fetch` and the ready-made configurations use when none is named. */
export const CRS_VERSION = '4.28.0';

/** A CRS release number: 3.3.4, 4.28.0, 4.0.0-rc2. */
const VERSION = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$/;

export function isCrsVersion(text: string): boolean {
  return VERSION.test(text);
}

/** The major version (3 or 4 for the releases Rampart configures). */
export function crsMajor(version: string): number {
  const m = VERSION.exec(version);
  return m ? Number(m[1]) : NaN;
}

/** Orders release numbers (a pre-release sorts before its release). */
export function compareCrsVersions(a: string, b: string): number {
  const pa = VERSION.exec(a);
  const pb = VERSION.exec(b);
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  if (pa[4] === pb[4]) return 0;
  if (pa[4] === undefined) return 1;
  if (pb[4] === undefined) return -1;
  return pa[4] < pb[4] ? -1 : 1;
}

/** GitHub's tag archive of a release; it unpacks to `coreruleset-<version>/`. */
export function crsArchiveUrl(version: string = CRS_VERSION): string {
  return `https://github.com/coreruleset/coreruleset/archive/refs/tags/v${version}.tar.gz`;
}

/** The archive of the default release. */
export const CRS_ARCHIVE_URL = crsArchiveUrl(CRS_VERSION);
