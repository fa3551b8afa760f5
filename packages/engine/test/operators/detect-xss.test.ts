import { compileOperator } from '../../src/operators';

describe('@detectXSS', () => {
  const m = compileOperator('detectXSS');

  it('detects script injection and stores the input in TX:0', () => {
    const captures: string[] = [];
    const input = '<script>alert(1)</script>';
    expect(m(input, { captures })).toBe(true);
    expect(captures[0]).toBe(input);
    expect(m('<img src=x onerror=alert(1)>')).toBe(true);
    expect(m('"><script>alert(document.cookie)</script>')).toBe(true);
  });

  it('leaves benign input alone', () => {
    for (const input of ['', 'hello world', 'a < b and c > d', '\x00\xff\x80', '<b>bold</b>']) {
      expect(m(input)).toBe(false);
    }
  });

  it('never throws on hostile input', () => {
    expect(() => m('<'.repeat(100000))).not.toThrow();
    expect(() => m('<a ' + 'x='.repeat(10000))).not.toThrow();
  });
});
