import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@restpath', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('restpath', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('restpath', 'x')).toThrow(/^@restpath is not supported: .{20,}/);
  });
});
