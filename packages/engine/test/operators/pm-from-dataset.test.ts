import { compileOperator, OperatorCompileError } from '../../src/operators';

describe('@pmFromDataset', () => {
  it('is refused at load time with a message that says why', () => {
    expect(() => compileOperator('pmFromDataset', 'x')).toThrow(OperatorCompileError);
    expect(() => compileOperator('pmFromDataset', 'x')).toThrow(/^@pmFromDataset is not supported: .{20,}/);
  });
});
