import { createWaf, type ManagedWaf } from '@rampart/waf';

/**
 * CRS 4 at paranoia level 1, blocking, as a newcomer gets it, with SecRequestBodyLimit lowered to 1 MiB so that the
 * "body over the limit" case needs a 2 MB upload, not 14 MB. The error log is kept for assertions.
 */
export async function crsWaf(errorLog: string[] = []): Promise<ManagedWaf> {
  return createWaf({
    crs: { paranoia: 1, download: false },
    mode: 'block',
    after: 'SecRequestBodyLimit 1048576',
    errorLog: (line) => errorLog.push(line),
  });
}

/** Waits until `check` holds (a transaction's logging runs on the response's 'close', a tick after the client saw the end). */
export async function eventually(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
