import { compileOperator } from '../../src/operators';

describe('@unconditionalMatch', () => {
  it('matches every input, including empty input, NUL and high bytes', () => {
    const m = compileOperator('unconditionalMatch');
    for (const input of ['', 'x', '\x00', '\xff'.repeat(10)]) expect(m(input)).toBe(true);
  });
});
