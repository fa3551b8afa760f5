import { compileAsyncOperator, OperatorCompileError } from '../../src/operators';
import { rblQueryName } from '../../src/operators/rbl';

function options(extra: Record<string, unknown> = {}) {
  return { options: { allowBacktrackingRegex: true, allowInspectFile: false, ...extra } };
}

describe('@rbl', () => {
  it('builds ModSecurity query names (reversed IPv4, httpbl key, domain input)', () => {
    expect(rblQueryName('1.2.3.4', 'zen.spamhaus.org', undefined)).toBe('4.3.2.1.zen.spamhaus.org');
    expect(rblQueryName('1.2.3.4', 'dnsbl.httpbl.org', 'abcdefghijkl')).toBe('abcdefghijkl.4.3.2.1.dnsbl.httpbl.org');
    expect(rblQueryName('evil.example', 'multi.uribl.com', undefined)).toBe('evil.example.multi.uribl.com');
    expect(rblQueryName('', 'zen.spamhaus.org', undefined)).toBeUndefined();
    expect(rblQueryName('a b\x00', 'zen.spamhaus.org', undefined)).toBeUndefined();
    expect(rblQueryName('\xff', 'zen.spamhaus.org', undefined)).toBeUndefined();
  });

  it('matches when the name resolves, through the injected resolver, and caches answers', async () => {
    const asked: string[] = [];
    const dnsResolve = async (name: string) => {
      asked.push(name);
      if (name === '2.0.0.127.zen.spamhaus.org') return ['127.0.0.2'];
      const err = new Error('queryA ENOTFOUND') as Error & { code: string };
      err.code = 'ENOTFOUND';
      throw err;
    };
    const m = compileAsyncOperator('rbl', 'zen.spamhaus.org', options({ dnsResolve }));
    await expect(m('127.0.0.2')).resolves.toBe(true);
    await expect(m('127.0.0.1')).resolves.toBe(false);
    await expect(m('127.0.0.2')).resolves.toBe(true);
    expect(asked).toEqual(['2.0.0.127.zen.spamhaus.org', '1.0.0.127.zen.spamhaus.org']);
    await expect(m('not valid!')).resolves.toBe(false);
  });

  it('gives up after the timeout without matching, and asks again later', async () => {
    let calls = 0;
    const dnsResolve = (name: string) => {
      calls++;
      return new Promise<string[]>((res) => setTimeout(() => res([name]), 1000));
    };
    const m = compileAsyncOperator('rbl', 'zen.spamhaus.org', options({ dnsResolve, rblTimeoutMs: 20 }));
    const start = Date.now();
    await expect(m('1.2.3.4')).resolves.toBe(false);
    expect(Date.now() - start).toBeLessThan(500);
    await expect(m('1.2.3.4')).resolves.toBe(false);
    expect(calls).toBe(2);
  });

  it('sends the SecHttpBlKey; without it, loads with a warning and looks up no address (libmodsecurity)', async () => {
    const asked: string[] = [];
    const dnsResolve = async (name: string) => {
      asked.push(name);
      return ['127.1.1.1'];
    };
    const m = compileAsyncOperator('rbl', 'dnsbl.httpbl.org', options({ dnsResolve, httpBlKey: 'mykey' }));
    await expect(m('10.0.0.1')).resolves.toBe(true);
    expect(asked).toEqual(['mykey.1.0.0.10.dnsbl.httpbl.org']);
    const warnings: string[] = [];
    const keyless = compileAsyncOperator('rbl', 'dnsbl.httpbl.org', { ...options({ dnsResolve }), onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([expect.stringMatching(/SecHttpBlKey.*never matches/)]);
    await expect(keyless('10.0.0.1')).resolves.toBe(false);
    // A domain name is still asked, without a key, as libmodsecurity's mapIpToAddress does.
    await expect(keyless('evil.example')).resolves.toBe(true);
    expect(asked).toEqual(['mykey.1.0.0.10.dnsbl.httpbl.org', 'evil.example.dnsbl.httpbl.org']);
  });

  it('never rejects, even when the resolver throws synchronously', async () => {
    const dnsResolve = () => {
      throw new Error('boom');
    };
    const m = compileAsyncOperator('rbl', 'zen.spamhaus.org', options({ dnsResolve }));
    await expect(m('1.2.3.4')).resolves.toBe(false);
  });

  it('needs a zone', () => {
    expect(() => compileAsyncOperator('rbl', '', options())).toThrow(OperatorCompileError);
    expect(() => compileAsyncOperator('rbl', 'not a zone', options())).toThrow(/needs a DNS zone/);
  });
});
