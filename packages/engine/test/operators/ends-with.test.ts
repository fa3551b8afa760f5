import { compileOperator } from '../../src/operators';

describe('@endsWith', () => {
  // owasp-modsecurity/secrules-language-tests operators/endsWith.json
  it.each([
    ['', '', true],
    ['TestCase', '', false],
    ['', 'TestCase', true],
    ['abc', 'abcdefghi', false],
    ['def', 'abcdefghi', false],
    ['ghi', 'abcdefghi', true],
    ['ghi', 'abcdef\x00ghi', true],
    ['.PDF', 'file.pdf', false],
    ['\xe9', 'caf\xe9', true],
  ])('@endsWith %j on %j -> %s', (param, input, expected) => {
    expect(compileOperator('endsWith', param)(input)).toBe(expected);
  });

  it('expands macros (CRS: .%{request_headers.host})', () => {
    const m = compileOperator('endsWith', '.%{request_headers.host}', { macros: { 'REQUEST_HEADERS.host': 'example.com' } });
    expect(m('www.example.com')).toBe(true);
    expect(m('wwwexample.com')).toBe(false);
  });
});
