import { parseMacroString } from '../src';

describe('parseMacroString', () => {
  test('plain text is one literal part', () => {
    expect(parseMacroString('abc')).toEqual({ text: 'abc', parts: ['abc'] });
    expect(parseMacroString('')).toEqual({ text: '', parts: [''] });
  });

  test('collections, keys and plain variables', () => {
    expect(parseMacroString('a %{tx.foo} b %{REQUEST_HEADERS.host}%{MATCHED_VAR}').parts).toEqual([
      'a ',
      { collection: 'TX', key: 'foo', raw: '%{tx.foo}' },
      ' b ',
      { collection: 'REQUEST_HEADERS', key: 'host', raw: '%{REQUEST_HEADERS.host}' },
      { collection: 'MATCHED_VAR', raw: '%{MATCHED_VAR}' },
    ]);
    expect(parseMacroString('%{request_headers.user-agent}').parts).toEqual([
      { collection: 'REQUEST_HEADERS', key: 'user-agent', raw: '%{request_headers.user-agent}' },
    ]);
    expect(parseMacroString('%{TX:x}').parts).toEqual([{ collection: 'TX', key: 'x', raw: '%{TX:x}' }]);
  });

  test("a '%' right after a reference belongs to it (libmodsecurity v3's lexer), unless it opens the next one", () => {
    expect(parseMacroString('TX.a%{REQUEST_HEADERS:Cookie}%').parts).toEqual(['TX.a', { collection: 'REQUEST_HEADERS', key: 'Cookie', raw: '%{REQUEST_HEADERS:Cookie}' }]);
    expect(parseMacroString('%{TX.1}%{TX.2}').parts).toEqual([
      { collection: 'TX', key: '1', raw: '%{TX.1}' },
      { collection: 'TX', key: '2', raw: '%{TX.2}' },
    ]);
    expect(parseMacroString('%{tx.a}%% b').parts).toEqual([{ collection: 'TX', key: 'a', raw: '%{tx.a}' }, '% b']);
    expect(parseMacroString('100% %{tx.a}').parts).toEqual(['100% ', { collection: 'TX', key: 'a', raw: '%{tx.a}' }]);
  });

  test('malformed references stay literal', () => {
    expect(parseMacroString('100%{').parts).toEqual(['100%{']);
    expect(parseMacroString('%{} %{ tx.a} %{1x}').parts).toEqual(['%{} %{ tx.a} %{1x}']);
    expect(parseMacroString('%{%{tx.a}').parts).toEqual(['%{', { collection: 'TX', key: 'a', raw: '%{tx.a}' }]);
  });
});
