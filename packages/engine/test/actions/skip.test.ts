import { loadErrors, run } from './helpers';

// Reference manual: "skip: Skips one or more rules (or chains) on successful match ... Skip only applies to the
// current processing phase and not necessarily the order in which the rules appear in the configuration file."
describe('skip', () => {
  const tail = `SecAction "id:2,phase:1,pass,log"\nSecAction "id:3,phase:1,pass,log"\nSecAction "id:4,phase:1,pass,log"`;

  test('skip:N skips the next N rules of the phase', () => {
    expect(run(`SecAction "id:1,phase:1,pass,nolog,skip:1"\n` + tail).logged).toEqual([3, 4]);
    expect(run(`SecAction "id:1,phase:1,pass,nolog,skip:2"\n` + tail).logged).toEqual([4]);
  });

  test('skip only applies when the rule matches', () => {
    expect(run(`SecRule ARGS:a "@streq x" "id:1,phase:1,pass,nolog,skip:2"\n` + tail, { uri: '/?a=y' }).logged).toEqual([2, 3, 4]);
  });

  test('skipping past the end of the phase does not reach into the next phase', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,skip:10"\n` + tail + `\nSecAction "id:5,phase:2,pass,log"`);
    expect(r.logged).toEqual([5]);
  });

  test('rules of other phases in between do not count', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,skip:1"\nSecAction "id:9,phase:2,pass,log"\n` + tail);
    expect(r.logged).toEqual([3, 4, 9]);
  });

  test('a SecMarker in between does not count', () => {
    const r = run(`SecAction "id:1,phase:1,pass,nolog,skip:1"\nSecMarker M\n` + tail);
    expect(r.logged).toEqual([3, 4]);
  });

  test.each(['0', '-1', 'x'])('skip:%s is a load error', (v) => {
    expect(loadErrors(`SecAction "id:1,phase:1,pass,skip:${v}"`).join('\n')).toMatch(/skip needs a positive integer/);
  });
});
