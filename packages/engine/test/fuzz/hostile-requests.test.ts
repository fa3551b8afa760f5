import * as path from 'node:path';
import { createWaf, type Waf } from '../../src';

/**
 * Hostile input never throws: seeded random and mutated requests go through every phase of a transaction with
 * all of CRS 4 loaded (PL4, so every rule runs) and every body processor in play. A failure prints the seed.
 */
const SHARED = path.resolve(__dirname, '../../../../../shared');

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 0x100000000;
  };
}

const PIECES = [
  "' or 1=1--", '<script>alert(1)</script>', '../../etc/passwd', '%00', '%u0027', '%%', '%zz', '\\x00', '\u00ff\u00fe',
  '{"a":', '[[[[', '<?xml', '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>', '&e;', '--boundary', '\r\n', '\n',
  ';', '=', '&', '|', '`id`', '$(id)', 'union select', '\u00c0\u00af', '\t', ' ', '"', "'", '\\', '#', '?', '*', '/*', '*/',
];

function randomText(r: () => number, max: number): string {
  let s = '';
  const n = Math.floor(r() * max);
  while (s.length < n) {
    if (r() < 0.5) s += PIECES[Math.floor(r() * PIECES.length)]!;
    else s += String.fromCharCode(Math.floor(r() * 256));
  }
  return s;
}

const CONTENT_TYPES = [
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=boundary', 'multipart/form-data; boundary="a b"',
  'multipart/form-data', 'application/json', 'text/xml', 'application/xml', 'text/plain', 'application/soap+xml', '',
];

describe('hostile requests through CRS 4 never throw', () => {
  let waf: Waf;
  beforeAll(() => {
    waf = createWaf({
      directives: [
        'SecRuleEngine On',
        'SecRequestBodyAccess On',
        'SecResponseBodyAccess On',
        'SecResponseBodyMimeType text/plain text/html application/json',
        'SecRequestBodyLimit 65536',
        'SecRequestBodyLimitAction ProcessPartial',
        `SecUnicodeMapFile ${SHARED}/modsecurity/unicode.mapping 20127`,
        'SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" "id:200000,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=XML"',
        'SecRule REQUEST_HEADERS:Content-Type "^application/json" "id:200001,phase:1,pass,nolog,t:lowercase,ctl:requestBodyProcessor=JSON"',
        `Include ${SHARED}/crs4/crs-setup.conf.example`,
        'SecAction "id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=4"',
        `Include ${SHARED}/crs4/rules/*.conf`,
      ].join('\n'),
      onWarning: () => undefined,
    });
  });

  test('500 seeded requests', () => {
    const seed = Number(process.env.RAMPART_FUZZ_SEED ?? 20261122);
    const r = prng(seed);
    for (let i = 0; i < 500; i++) {
      const tx = waf.newTransaction({ id: `fuzz-${seed}-${i}` });
      try {
        tx.processConnection(r() < 0.5 ? '10.0.0.1' : '::1', Math.floor(r() * 65536), '10.0.0.2', 80);
        tx.processUri(`/${randomText(r, 200)}${r() < 0.7 ? `?${randomText(r, 200)}` : ''}`, r() < 0.6 ? 'POST' : randomText(r, 10) || 'GET', r() < 0.9 ? 'HTTP/1.1' : randomText(r, 12));
        tx.addRequestHeader('Host', r() < 0.9 ? 'example.com' : randomText(r, 40));
        const headerCount = Math.floor(r() * 8);
        for (let h = 0; h < headerCount; h++) tx.addRequestHeader(randomText(r, 20) || 'X', randomText(r, 200));
        tx.addRequestHeader('Content-Type', CONTENT_TYPES[Math.floor(r() * CONTENT_TYPES.length)]!);
        if (r() < 0.5) tx.addRequestHeader('Cookie', randomText(r, 200));
        let it = tx.processRequestHeaders();
        if (!it) {
          const chunks = Math.floor(r() * 4);
          for (let c = 0; c < chunks; c++) tx.appendRequestBody(randomText(r, 2000));
          it = tx.processRequestBody();
        }
        if (!it) {
          tx.addResponseHeader('Content-Type', r() < 0.5 ? 'text/html' : randomText(r, 30));
          it = tx.processResponseHeaders(200 + Math.floor(r() * 400));
          if (!it) {
            tx.appendResponseBody(randomText(r, 3000));
            tx.processResponseBody();
          }
        }
        tx.processLogging();
      } catch (e) {
        throw new Error(`request ${i} of seed ${seed} threw: ${(e as Error).stack ?? String(e)}`);
      }
      for (const line of tx.logLines) expect(line).not.toMatch(/[\r\n]/);
    }
  }, 120_000);
});
