import { compileOperator } from '../../src/operators';

describe('@detectSQLi', () => {
  const m = compileOperator('detectSQLi');

  it('detects classic SQL injection and stores the fingerprint in TX:0', () => {
    const captures: string[] = [];
    expect(m("1' OR '1'='1", { captures })).toBe(true);
    expect(captures[0]).toMatch(/^[a-zA-Z0-9&|()!,;.{}?]{1,8}$/);
    const c2: string[] = [];
    expect(m('1 UNION SELECT password FROM users', { captures: c2 })).toBe(true);
    expect(c2[0]).toBeTruthy();
  });

  it('leaves benign input alone', () => {
    const captures: string[] = [];
    for (const input of ['', 'hello world', 'john.doe@example.com', '\x00\xff\x80', 'O\'Brien']) {
      expect(m(input, { captures })).toBe(false);
    }
    expect(captures).toEqual([]);
  });

  it('never throws on hostile input', () => {
    expect(() => m("'".repeat(100000))).not.toThrow();
    expect(() => m('\x00'.repeat(10000) + '/*')).not.toThrow();
  });
});
