import { loadErrors } from './helpers';

// exec, append, prepend, proxy and pause are refused at load time with the reason, instead of being accepted as
// no-ops (ModSecurity v3 also refuses append, prepend, proxy and pause; its exec runs Lua scripts only).
describe('refused actions', () => {
  test.each([
    ['exec:/usr/local/bin/alert.sh', /action 'exec' is not supported: running external programs/],
    ["append:'<hr>'", /action 'append' is not supported: content injection/],
    ["prepend:'<hr>'", /action 'prepend' is not supported: content injection/],
    ['proxy:http://backend/', /action 'proxy' is not supported: reverse-proxying/],
    ['pause:5000', /action 'pause' is not supported: delaying responses/],
  ])('%s is a load error', (action, message) => {
    expect(loadErrors(`SecRule ARGS "@rx x" "id:1,phase:2,pass,${action}"`).join('\n')).toMatch(message);
  });

  test('every problem is listed, not only the first', () => {
    const errors = loadErrors(`SecAction "id:1,phase:1,pass,exec:/bin/true"\nSecAction "id:2,phase:1,pass,pause:10"`);
    expect(errors.join('\n')).toMatch(/exec/);
    expect(errors.join('\n')).toMatch(/pause/);
  });

  test('a refused action in SecDefaultAction is a load error too', () => {
    expect(loadErrors(`SecDefaultAction "phase:2,log,pass,exec:/bin/true"`).join('\n')).toMatch(/exec.*not supported/);
  });
});
