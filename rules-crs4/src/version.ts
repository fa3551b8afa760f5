/** The one CRS release this package is verified against (the manifest pins every file's hash). */
export const CRS_VERSION = '4.28.0';

/** GitHub's tag archive of the official release; it unpacks to `coreruleset-4.28.0/`. */
export const CRS_ARCHIVE_URL = `https://github.com/coreruleset/coreruleset/archive/refs/tags/v${CRS_VERSION}.tar.gz`;
