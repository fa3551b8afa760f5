import { renderGoTemplate } from '../src';

describe('Go text/template subset', () => {
  it('renders literal text and pipelines', () => {
    expect(renderGoTemplate('a{{ "1" | repeat 3 }}b')).toBe('a111b');
    expect(renderGoTemplate('{{ repeat 2 "xy" }}')).toBe('xyxy');
    expect(renderGoTemplate('{{ "ab" | upper | repeat 2 }}')).toBe('ABAB');
    expect(renderGoTemplate('{{ `raw\\n` }}{{ "\\x41\\n" }}')).toBe('raw\\nA\n');
    expect(renderGoTemplate('{{ print 1 2 }}')).toBe('1 2');
    expect(renderGoTemplate('{{ repeat 2 (lower "A") }}')).toBe('aa');
    expect(renderGoTemplate('no action')).toBe('no action');
  });

  it('trim markers and comments', () => {
    expect(renderGoTemplate('a \n {{- "b" -}} \n c')).toBe('abc');
    expect(renderGoTemplate('a{{/* note */}}b')).toBe('ab');
    expect(renderGoTemplate('a {{- /* note */ -}} b')).toBe('ab');
  });

  it('what Go cannot parse or execute gives a nil body (undefined), like go-ftw', () => {
    expect(renderGoTemplate('/login?user={{constructor.constructor}}')).toBeUndefined();
    expect(renderGoTemplate('{{7*7}}')).toBeUndefined();
    expect(renderGoTemplate('{{ "unterminated }}')).toBeUndefined();
    expect(renderGoTemplate('{{ "a" ')).toBeUndefined();
    expect(renderGoTemplate('{{ }}')).toBeUndefined();
    expect(renderGoTemplate('{{ "a" "b" }}')).toBeUndefined();
    expect(renderGoTemplate('{{ repeat "x" "y" }}')).toBeUndefined();
    expect(renderGoTemplate('{{ "1" | repeat 999999999 }}')).toBeUndefined();
  });

  it('constructs outside the subset fail loudly instead of sending a wrong body', () => {
    expect(() => renderGoTemplate('{{ if true }}x{{ end }}')).toThrow(/"if" action is not supported/);
    expect(() => renderGoTemplate('{{ $x := 1 }}')).toThrow(/template variable/);
    expect(() => renderGoTemplate('{{ randAlpha 5 }}')).toThrow(/function "randAlpha"/);
    expect(renderGoTemplate('{{ notAFunction 5 }}')).toBeUndefined();
    expect(() => renderGoTemplate('{{ .Field }}')).toThrow(/field access/);
  });
});
