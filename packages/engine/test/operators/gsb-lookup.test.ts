import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@gsbLookup', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('gsbLookup', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('gsbLookup', 'x')).toThrow(/^@gsbLookup is not supported: .{20,}/);
  });
});
