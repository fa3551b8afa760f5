import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@rsub', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('rsub', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('rsub', 'x')).toThrow(/^@rsub is not supported: .{20,}/);
  });
});
