import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * The agent's JSON logger (pino): one JSON object per line, written through `write` (default stdout), so
 * the command line can capture it and journald/ELK can parse it.
 */
export function createLogger(level = 'info', write?: (line: string) => void): Logger {
  return write ? pino({ name: 'rampart-spoa', level }, { write }) : pino({ name: 'rampart-spoa', level });
}
