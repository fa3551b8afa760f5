import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@validateSchema', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('validateSchema', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('validateSchema', 'x')).toThrow(/^@validateSchema is not supported: .{20,}/);
  });
});
