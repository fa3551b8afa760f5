import { compileOperator } from '../../src/operators';

describe('@noMatch', () => {
  it('never matches', () => {
    const m = compileOperator('noMatch');
    for (const input of ['', 'x', '\x00', '\xff']) expect(m(input)).toBe(false);
  });
});
