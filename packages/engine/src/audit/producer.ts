import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

function readVersion(): string {
  // src/audit and dist/audit are both two levels below the package root.
  try {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** The engine's version, from the package manifest. */
export const ENGINE_VERSION = readVersion();

/** Section H's `Producer:` name (ModSecurity v2 writes `ModSecurity for Apache/2.9.x (http://www.modsecurity.org/)`). */
export const PRODUCER_NAME = `Rampart/${ENGINE_VERSION} (ModSecurity-compatible WAF engine)`;

/** JSON `producer.modsecurity` (ModSecurity v3 writes `ModSecurity v3.0.x (Linux)`). */
export const PRODUCER_JSON = `Rampart v${ENGINE_VERSION} (${os.type()})`;

let serverId: string | undefined;
/** JSON `server_id`: ModSecurity v3 hashes machine identity; here a SHA-1 of the host name, stable per host. */
export function defaultServerId(): string {
  serverId ??= crypto.createHash('sha1').update(os.hostname()).digest('hex');
  return serverId;
}
