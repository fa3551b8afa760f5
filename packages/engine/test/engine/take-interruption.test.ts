import { createWaf } from '../../src';

describe('takeInterruption (libmodsecurity msc_intervention semantics)', () => {
  const waf = createWaf({
    directives: [
      'SecRuleEngine On',
      'SecRule REQUEST_URI "@contains a" "id:1,phase:1,deny,status:401"',
      'SecRule REQUEST_URI "@contains a" "id:2,phase:2,deny,status:402"',
    ].join('\n'),
  });

  it('without it an interruption stands and later phases run no rules', () => {
    const tx = waf.newTransaction();
    tx.processUri('/a', 'GET', 'HTTP/1.1');
    expect(tx.processRequestHeaders()?.status).toBe(401);
    expect(tx.processRequestBody()?.status).toBe(401);
    expect(tx.matchedRules.map((r) => r.id)).toEqual([1]);
  });

  it('returns the interruption once and lets the later phases run their rules', () => {
    const tx = waf.newTransaction();
    tx.processUri('/a', 'GET', 'HTTP/1.1');
    tx.processRequestHeaders();
    expect(tx.takeInterruption()?.status).toBe(401);
    expect(tx.takeInterruption()).toBeUndefined();
    expect(tx.processRequestBody()?.status).toBe(402);
    expect(tx.matchedRules.map((r) => r.id)).toEqual([1, 2]);
  });
});
