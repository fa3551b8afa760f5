/**
 * Where the server reports what happens on its connections. Every method is optional; a missing one drops
 * that level. `fields` carries structured context (`conn`, `status`, `streamId`, `error`, ...).
 *
 * Levels: `debug` = normal protocol events (connection open/closed, peer EOF/RST, health checks);
 * `info` = HAProxy-initiated disconnects; `warn` = protocol errors we answered with a DISCONNECT;
 * `error` = a handler failure (the agent's bug) or a server-level error.
 */
export interface SpopLogger {
  debug?(message: string, fields?: Record<string, unknown>): void;
  info?(message: string, fields?: Record<string, unknown>): void;
  warn?(message: string, fields?: Record<string, unknown>): void;
  error?(message: string, fields?: Record<string, unknown>): void;
}
