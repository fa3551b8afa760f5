import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@validateHash', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('validateHash', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('validateHash', 'x')).toThrow(/^@validateHash is not supported: .{20,}/);
  });
});
