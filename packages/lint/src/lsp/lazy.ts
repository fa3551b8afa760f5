import type { Connection } from 'vscode-languageserver/node';
import type { LanguageServerOptions } from './server';

/**
 * Starts the language server (see ./server.ts). The server's modules (vscode-languageserver) are loaded on
 * this call, not when @rampart/lint is imported: `rampart lint FILE` and the library's other users never pay
 * for them.
 */
export function startLanguageServer(options: LanguageServerOptions): Connection {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose
  const server = require('./server') as typeof import('./server');
  return server.startLanguageServer(options);
}
