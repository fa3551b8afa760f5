import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@ipMatchFromDataset', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('ipMatchFromDataset', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('ipMatchFromDataset', 'x')).toThrow(/^@ipMatchFromDataset is not supported: .{20,}/);
  });
});
