import { defineOperator, withLocator } from './types';
import { OperatorCompileError } from './errors';

/** Parses `9,10,13,32-126` into a 256-entry table of allowed bytes. */
export function parseByteRanges(argument: string): Uint8Array {
  const allowed = new Uint8Array(256);
  const parts = argument.split(',');
  for (const raw of parts) {
    const part = raw.trim();
    const m = /^(\d{1,3})(?:\s*-\s*(\d{1,3}))?$/.exec(part);
    if (!m) {
      throw new OperatorCompileError(
        'bad-argument',
        `@validateByteRange: "${part}" is not a byte value or a range like 32-126 (argument "${argument}")`,
      );
    }
    const start = Number(m[1]);
    const end = m[2] === undefined ? start : Number(m[2]);
    if (start > 255 || end > 255) {
      throw new OperatorCompileError('bad-argument', `@validateByteRange: "${part}" goes beyond 255`);
    }
    if (start > end) {
      throw new OperatorCompileError('bad-argument', `@validateByteRange: invalid range ${start}-${end}`);
    }
    allowed.fill(1, start, end + 1);
  }
  return allowed;
}

/**
 * Matches when the input contains a byte outside the allowed values and ranges (comma-separated, inclusive,
 * 0-255). An empty input never matches. ModSecurity silently ignores a malformed range; Rampart refuses it.
 * @example SecRule ARGS "@validateByteRange 9,10,13,32-126,128-255" "id:920270,phase:2,block"
 */
export const validateByteRange = defineOperator({
  name: 'validateByteRange',
  compile(argument) {
    const allowed = parseByteRanges(argument.text);
    return withLocator(
      (input) => {
        for (let i = 0; i < input.length; i++) {
          if (allowed[input.charCodeAt(i) & 0xff] !== 1) return true;
        }
        return false;
      },
      (input) => {
        // ModSecurity v3 logs every byte out of range.
        const spans: number[] = [];
        for (let i = 0; i < input.length; i++) if (allowed[input.charCodeAt(i) & 0xff] !== 1) spans.push(i, 1);
        return spans;
      },
    );
  },
});
