import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@fuzzyHash', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('fuzzyHash', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('fuzzyHash', 'x')).toThrow(/^@fuzzyHash is not supported: .{20,}/);
  });
});
