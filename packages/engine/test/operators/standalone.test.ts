// Imported first on purpose: the helper must work without the index having been loaded before it.
import { compileOperator } from '../../src/operators/standalone';
import { parseMacroText } from '../../src/operators/macro';

describe('standalone compileOperator', () => {
  it('resolves macros from the map, case-insensitively, with . or : separators', () => {
    const m = compileOperator('streq', '%{TX.Foo}/%{request_headers:host}/%{REMOTE_ADDR}', {
      macros: { 'tx.foo': 'a', 'REQUEST_HEADERS:Host': 'b', remote_addr: 'c' },
    });
    expect(m('a/b/c')).toBe(true);
    expect(m('a/b/')).toBe(false);
  });

  it('lets the run context override the resolver and supplies defaults', () => {
    const m = compileOperator('contains', '%{tx.x}');
    expect(m('abc', { resolve: () => 'b' })).toBe(true);
    expect(m('abc')).toBe(true); // a missing variable expands to '', which every input contains
  });

  it('scans %{...} references out of plain strings', () => {
    expect(parseMacroText('a%{tx.b}c')).toEqual({
      text: 'a%{tx.b}c',
      parts: ['a', { collection: 'TX', key: 'b', raw: '%{tx.b}' }, 'c'],
    });
    expect(parseMacroText('%{MATCHED_VAR}').parts).toEqual([{ collection: 'MATCHED_VAR', raw: '%{MATCHED_VAR}' }]);
    expect(parseMacroText('100%{').parts).toEqual(['100%{']);
    expect(parseMacroText('%{ bad}x').parts).toEqual(['%{ bad}x']);
    expect(parseMacroText('').parts).toEqual(['']);
  });
});
