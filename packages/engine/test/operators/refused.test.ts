import { compileOperator, findOperator, OperatorCompileError } from '../../src/operators';

/** Operators Rampart refuses at load time, and what the message must say. */
const refused: Array<[string, string, RegExp]> = [
  ['validateHash', '/product/', /@validateHash is not supported: .*ModSecurity v3 refuses @validateHash too/],
  ['gsbLookup', '.*', /@gsbLookup is not supported: .*ModSecurity v3 refuses @gsbLookup too/],
  ['rsub', 's/a/b/', /@rsub is not supported: .*ModSecurity v3 refuses @rsub too/],
  ['pmFromDataset', 'words', /@pmFromDataset is not supported: SecDataset \(Coraza\) is not implemented/],
  ['ipMatchFromDataset', 'ips', /@ipMatchFromDataset is not supported: SecDataset \(Coraza\) is not implemented/],
  ['restpath', '/users/{id}', /@restpath is not supported: .*ARGS_PATH/],
];

describe('refused operators', () => {
  it.each(refused)('@%s is refused at load time with a clear message', (name, argument, message) => {
    expect(findOperator(name)?.name).toBe(name);
    let error: unknown;
    try {
      compileOperator(name, argument);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OperatorCompileError);
    expect((error as OperatorCompileError).code).toBe('unsupported-operator');
    expect((error as Error).message).toMatch(message);
  });
});
