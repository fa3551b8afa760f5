import { compileOperator } from '../../src/operators';

// Where an operator matched: the `o` spans of ModSecurity v3's `[ref "o0,6v17,6t:trim"]`, as each v3 operator
// records them with logOffset (src/operators/*.cc): an offset and a length per span.
describe('operator match spans (MatchLocator)', () => {
  it.each([
    ['rx', 'val', 'value1', [0, 3]],
    ['rx', 'ue2', 'value2', [3, 3]],
    // Every group that took part, the whole match first (offset-variable.json, FILES_NAMES).
    ['rx', '(fiasdfasdfledata|filedata)', 'filedata', [0, 8, 0, 8]],
    // A group that took no part is left out.
    ['rx', '(a)|(b)(c)', 'xxbc', [2, 2, 2, 1, 3, 1]],
    // Patterns answered without RE2.
    ['rx', '^.*$', 'abc', [0, 3]],
    ['rx', '.', 'xyz', [0, 1]],
    ['rxGlobal', '\\d', 'a1b2', [1, 1, 3, 1]],
    // The backtracking engine (a backreference RE2 cannot run) reports no group positions: the whole match only.
    ['rx', '(a)\\1', 'xaa', [1, 2]],
    ['pm', 'foo bar', 'xxBAR', [2, 3]],
    ['pm', 'abcd bc', 'xabcd', [2, 2]],
    ['contains', '6', 'bbbmy_id6', [8, 1]],
    ['contains', 'my_id', 'bbbbbbbmy_id', [7, 5]],
    ['containsWord', 'select', 'x select y', [2, 6]],
    ['containsWord', 'select', 'select', []],
    ['beginsWith', 'GET', 'GET /', [0, 3]],
    ['endsWith', '.php', '/a.php', [2, 4]],
    // Where the input sits in the argument, with the input's length.
    ['within', 'GET POST', 'POST', [4, 4]],
    ['validateByteRange', '32-126', 'a\x01b\x02', [1, 1, 3, 1]],
    ['validateUrlEncoding', '', 'a%zz', [1, 4]],
    ['validateUrlEncoding', '', 'ab%', [2, 3]],
    ['validateUtf8Encoding', '', 'a\xff', [1, 2]],
    // A sequence cut short by the end of the input: v3 matches and logs no offset.
    ['validateUtf8Encoding', '', 'a\xc3', []],
    ['verifySSN', '\\d{3}-?\\d{2}-?\\d{4}', 'ssn 078-05-1120', [4, 11]],
    // Operators v3 records no offset for.
    ['streq', 'abc', 'abc', []],
    ['gt', '1', '5', []],
  ])('@%s %j on %j -> %j', (name, param, input, spans) => {
    const op = compileOperator(name, param);
    expect(op(input)).toBe(true);
    expect(op.locate(input)).toEqual(spans);
  });

  it('expands macros as the match did', () => {
    const run = { resolve: () => 'abc' };
    expect(compileOperator('rx', '%{tx.x}')('xxabc', run)).toBe(true);
    expect(compileOperator('rx', '%{tx.x}').locate('xxabc', run)).toEqual([2, 3]);
    expect(compileOperator('contains', '%{tx.x}').locate('xxabc', run)).toEqual([2, 3]);
  });

  it('is empty for an input the operator does not match', () => {
    expect(compileOperator('rx', 'q').locate('abc')).toEqual([]);
    expect(compileOperator('pm', 'q').locate('abc')).toEqual([]);
  });
});
