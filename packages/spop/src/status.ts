/**
 * SPOP status codes, as carried by DISCONNECT frames (`status-code`) and, offset by 256, by HAProxy's
 * `option set-on-error` variable (257 = I/O error, 259 = frame too big, ...).
 */
export const SpopStatus = {
  Normal: 0,
  Io: 1,
  Timeout: 2,
  TooBig: 3,
  Invalid: 4,
  NoVersion: 5,
  NoFrameSize: 6,
  NoCapabilities: 7,
  BadVersion: 8,
  BadFrameSize: 9,
  FragmentationNotSupported: 10,
  InterlacedFrames: 11,
  FrameIdNotFound: 12,
  ResourceAllocation: 13,
  Unknown: 99,
} as const;

export type SpopStatusCode = (typeof SpopStatus)[keyof typeof SpopStatus];

/** HAProxy's own wording (`spoe_frm_err_reasons` / `spop_err_reasons`), so logs on both sides read alike. */
const MESSAGES: Readonly<Record<number, string>> = {
  0: 'normal',
  1: 'I/O error',
  2: 'a timeout occurred',
  3: 'frame is too big',
  4: 'invalid frame received',
  5: 'version value not found',
  6: 'max-frame-size value not found',
  7: 'capabilities value not found',
  8: 'unsupported version',
  9: 'max-frame-size too big or too small',
  10: 'fragmentation not supported',
  11: 'invalid interlaced frames',
  12: 'frame-id not found',
  13: 'resource allocation error',
  99: 'an unknown error occurred',
};

/** Stable machine-readable names, used as `SpopError.code`. */
const CODES: Readonly<Record<number, string>> = {
  0: 'SPOP_NORMAL',
  1: 'SPOP_IO',
  2: 'SPOP_TIMEOUT',
  3: 'SPOP_TOO_BIG',
  4: 'SPOP_INVALID_FRAME',
  5: 'SPOP_NO_VERSION',
  6: 'SPOP_NO_FRAME_SIZE',
  7: 'SPOP_NO_CAPABILITIES',
  8: 'SPOP_BAD_VERSION',
  9: 'SPOP_BAD_FRAME_SIZE',
  10: 'SPOP_FRAGMENTATION_NOT_SUPPORTED',
  11: 'SPOP_INTERLACED_FRAMES',
  12: 'SPOP_FRAME_ID_NOT_FOUND',
  13: 'SPOP_RESOURCE_ALLOCATION',
  99: 'SPOP_UNKNOWN',
};

/** HAProxy's reason text for a status code (`"unknown status <n>"` for codes it does not define). */
export function spopStatusMessage(status: number): string {
  return MESSAGES[status] ?? `unknown status ${status}`;
}

/** The stable `SpopError.code` string for a status code. */
export function spopStatusCode(status: number): string {
  return CODES[status] ?? 'SPOP_UNKNOWN';
}
