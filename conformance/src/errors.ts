export type ConformanceErrorCode =
  | 'TEST_FILE_INVALID'
  | 'BAD_TEST_INPUT'
  | 'TEMPLATE_UNSUPPORTED'
  | 'OVERRIDES_INVALID'
  | 'BASELINE_INVALID'
  | 'MARKER_NOT_FOUND'
  | 'TARGET_UNREACHABLE'
  | 'USAGE';

export class ConformanceError extends Error {
  readonly code: ConformanceErrorCode;

  constructor(code: ConformanceErrorCode, message: string) {
    super(message);
    this.name = 'ConformanceError';
    this.code = code;
  }
}
