import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@validateDTD', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('validateDTD', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('validateDTD', 'x')).toThrow(/^@validateDTD is not supported: .{20,}/);
  });
});
