import { SpopStatus, spopStatusCode, spopStatusMessage } from './status';

/**
 * Every protocol failure in this package. `status` is the SPOP status code to put in the AGENT-DISCONNECT
 * (see `SpopStatus`), `code` a stable string for programs (`'SPOP_INVALID_FRAME'`, `'SPOP_TOO_BIG'`, ...).
 */
export class SpopError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, detail?: string, options?: { cause?: unknown }) {
    const reason = spopStatusMessage(status);
    super(detail === undefined ? reason : `${reason}: ${detail}`, options);
    this.name = 'SpopError';
    this.status = status;
    this.code = spopStatusCode(status);
  }
}

/** Shorthand for the most common failure: bytes that do not form a valid frame (status 4). */
export function invalidFrame(detail: string): SpopError {
  return new SpopError(SpopStatus.Invalid, detail);
}
