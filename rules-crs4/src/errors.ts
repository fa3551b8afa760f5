/** Stable codes so callers (the CLI, the conformance runner) can tell "not installed" from "tampered". */
export type CrsErrorCode =
  | 'CRS_NOT_FOUND'
  | 'CRS_MANIFEST_MISMATCH'
  | 'CRS_MANIFEST_INVALID'
  | 'CRS_FETCH_FAILED'
  | 'CRS_ARCHIVE_INVALID'
  | 'CRS_SETUP_INVALID'
  | 'CRS_VERSION_UNKNOWN'
  | 'CRS_VERSION_UNSUPPORTED'
  | 'CRS_PLUGIN_INVALID';

export class CrsError extends Error {
  readonly code: CrsErrorCode;

  constructor(code: CrsErrorCode, message: string) {
    super(message);
    this.name = 'CrsError';
    this.code = code;
  }
}
