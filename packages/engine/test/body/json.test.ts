import { decodeYajlString, parseJson } from '../../src/body/json';

const args = (body: string): Array<[string, string]> => {
  const r = parseJson(body);
  expect(r.error).toBeUndefined();
  return r.args.map((a) => [a.name, a.value]);
};

describe('parseJson: ModSecurity v3 argument names', () => {
  it('objects, nested objects and arrays', () => {
    expect(args('{"a":1,"b":{"c":"x","d":[true,false,null]}}')).toEqual([
      ['json.a', '1'], ['json.b.c', 'x'], ['json.b.d.array_0', 'true'], ['json.b.d.array_1', 'false'],
      ['json.b.d.array_2', ''],
    ]);
  });

  it('top-level arrays and scalars', () => {
    expect(args('[1,"two"]')).toEqual([['json.array_0', '1'], ['json.array_1', 'two']]);
    expect(args('"x"')).toEqual([['json', 'x']]);
    expect(args(' 42 ')).toEqual([['json', '42']]);
  });

  it('containers inside arrays have empty names; indexes count containers too', () => {
    expect(args('{"a":[{"b":1},{"b":2},3]}')).toEqual([
      ['json.a.array_0.b', '1'], ['json.a.array_1.b', '2'], ['json.a.array_2', '3'],
    ]);
    expect(args('[[1,2],[3]]')).toEqual([
      ['json.array_0.array_0', '1'], ['json.array_0.array_1', '2'], ['json.array_1.array_0', '3'],
    ]);
  });

  it('empty containers give nothing, the empty key is empty-key', () => {
    expect(args('{"a":{},"b":[],"c":[{}]}')).toEqual([]);
    expect(args('{"":1,"x":{"":2}}')).toEqual([['json.empty-key', '1'], ['json.x.empty-key', '2']]);
  });

  it('duplicate keys all become arguments, numbers keep their text', () => {
    expect(args('{"a":1,"a":2,"n":-0.50e+10,"big":123456789012345678901234567890}')).toEqual([
      ['json.a', '1'], ['json.a', '2'], ['json.n', '-0.50e+10'], ['json.big', '123456789012345678901234567890'],
    ]);
  });

  it('decodes escapes into UTF-8 bytes as YAJL does', () => {
    expect(args('{"k\\u0041":"\\u00e9\\n\\/\\"\\\\"}')).toEqual([['json.kA', '\xc3\xa9\n/"\\']]);
    expect(args('["\\ud83d\\ude00"]')).toEqual([['json.array_0', '\xf0\x9f\x98\x80']]);
    expect(args('["\\u0000"]')).toEqual([['json.array_0', '\0']]);
    expect(decodeYajlString('\\ud800ab')).toBe('?b');
    expect(decodeYajlString('x\\ud800')).toBe('x?');
    expect(decodeYajlString('\\udc00')).toBe('\xed\xb0\x80');
  });

  it('keeps raw UTF-8 bytes (latin1 string) as they are', () => {
    expect(args('{"a":"\xc3\xa9"}')).toEqual([['json.a', '\xc3\xa9']]);
  });
});

describe('parseJson: errors (REQBODY_ERROR_MSG)', () => {
  const cases: Array<[string, string]> = [
    ['{"a":1', 'parse error: premature EOF\n'],
    ['   ', 'parse error: premature EOF\n'],
    ['{"a":1}x', 'parse error: trailing garbage\n'],
    ['{"a":1} 2', 'parse error: trailing garbage\n'],
    ['{"a" 1}', "parse error: object key and value must be separated by a colon (':')\n"],
    ['{1:2}', 'parse error: invalid object key (must be a string)\n'],
    ['{"a":1 "b":2}', "parse error: after key and value, inside map, I expect ',' or '}'\n"],
    ['[1 2]', "parse error: after array element, I expect ',' or ']'\n"],
    ['[1,]', 'parse error: unallowed token at this point in JSON text\n'],
    ['{"a":tru}', 'lexical error: invalid string in json text.\n'],
    ['{"a":@}', 'lexical error: invalid char in json text.\n'],
    ['{"a":"\\x"}', "lexical error: inside a string, '\\' occurs before a character which it may not.\n"],
    ['{"a":"\\u12g4"}', "lexical error: invalid (non-hex) character occurs after '\\u' inside string.\n"],
    ['{"a":"\x01"}', 'lexical error: invalid character inside string.\n'],
    ['{"a":"\xe9"}', 'lexical error: invalid bytes in UTF8 string.\n'],
    ['{"a":-}', 'lexical error: malformed number, a digit is required after the minus sign.\n'],
    ['{"a":1.}', 'lexical error: malformed number, a digit is required after the decimal point.\n'],
    ['{"a":1e}', 'lexical error: malformed number, a digit is required after the exponent.\n'],
    ['{"a":1}/', 'parse error: trailing garbage\n'],
    ['/*c*/{}', 'lexical error: probable comment found in input text, comments are not enabled.\n'],
    ['{"a":"abc', 'parse error: premature EOF\n'],
  ];
  it.each(cases)('%j', (body, message) => {
    expect(parseJson(body).error).toBe('JSON parsing error: ' + message);
  });

  it('keeps the arguments parsed before the error', () => {
    const r = parseJson('{"a":1,"b":2,');
    expect(r.args.map((a) => a.name)).toEqual(['json.a', 'json.b']);
    expect(r.error).toBeDefined();
  });

  it('an empty body is no error', () => {
    expect(parseJson('')).toEqual({ args: [], depthLimitExceeded: false, argumentsLimitExceeded: false });
  });

  it('depth limit: the limit itself passes, one more level fails', () => {
    expect(parseJson('[[["x"]]]', { depthLimit: 3 }).error).toBeUndefined();
    const r = parseJson('[[[["x"]]]]', { depthLimit: 3 });
    expect(r.depthLimitExceeded).toBe(true);
    expect(r.error).toBe('JSON parsing error: parse error: client cancelled parse via callback return value\n' +
      '. Parsing depth limit exceeded');
  });

  it('arguments limit cancels the parse', () => {
    const r = parseJson('[1,2,3,4]', { argumentsLimit: 2 });
    expect(r.args).toHaveLength(2);
    expect(r.argumentsLimitExceeded).toBe(true);
    expect(r.error).toBe('JSON parsing error: parse error: client cancelled parse via callback return value\n');
  });
});

describe('parseJson: hostile bodies', () => {
  it('100k-deep nesting ends in the depth limit, without recursion', () => {
    const body = '['.repeat(100_000) + ']'.repeat(100_000);
    const started = Date.now();
    const r = parseJson(body, { depthLimit: 512 });
    expect(r.depthLimitExceeded).toBe(true);
    expect(r.error).toContain('Parsing depth limit exceeded');
    const unlimited = parseJson('{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000), { depthLimit: 200_000 });
    expect(unlimited.error).toBeUndefined();
    expect(unlimited.args).toHaveLength(1);
    expect(unlimited.args[0]?.name.length).toBe('json'.length + 100_000 * 2);
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
  });

  it('100k array elements: capped by the arguments limit', () => {
    const body = '[' + Array.from({ length: 100_000 }, (_, i) => i).join(',') + ']';
    const r = parseJson(body, { argumentsLimit: 1000 });
    expect(r.args).toHaveLength(1000);
    expect(r.argumentsLimitExceeded).toBe(true);
    expect(parseJson(body).args).toHaveLength(100_000);
  });
});

describe('parseJson: seeded fuzz', () => {
  it('never throws on random token soup, and errors always carry the JSON prefix', () => {
    const pieces = ['{', '}', '[', ']', ',', ':', '"a"', '"\\u00e9"', '"\\ud800"', '1', '-0.5e3', 'true', 'null',
      ' ', '\n', '"', '\\', 'x', '\xff', '/', '0x'];
    let seed = 7;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    for (let run = 0; run < 2000; run++) {
      let body = '';
      const count = 1 + Math.floor(next() * 30);
      for (let i = 0; i < count; i++) body += pieces[Math.floor(next() * pieces.length)] ?? '';
      const r = parseJson(body, { depthLimit: 5, argumentsLimit: 10 });
      if (r.error !== undefined) expect(r.error.startsWith('JSON parsing error: ')).toBe(true);
      expect(r.args.length).toBeLessThanOrEqual(10);
    }
  });
});
