import { runTx, waf } from './helpers';

// Reference manual: "setrsc: Special-purpose action that initializes the RESOURCE collection using a key provided
// as parameter." Example: SecAction "phase:1,pass,id:3,log,setrsc:'abcd1234'".
describe('setrsc', () => {
  const T0 = new Date('2026-01-01T00:00:00Z');
  const cfg = `SecAction "id:1,phase:1,pass,nolog,setrsc:%{REQUEST_FILENAME}"\nSecAction "id:2,phase:1,pass,nolog,setvar:resource.hits=+1"`;

  test('opens the RESOURCE record of the key and keeps its values', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/login.php' }, { now: T0 });
    runTx(w, { uri: '/login.php?x=1' }, { now: T0 });
    const r = runTx(w, { uri: '/login.php' }, { now: T0 });
    expect(r.tx.collection('RESOURCE')!.first('KEY')).toBe('/login.php');
    expect(r.tx.collection('RESOURCE')!.first('hits')).toBe('3');
  });

  test('another resource has another record', () => {
    const w = waf(cfg);
    runTx(w, { uri: '/a' }, { now: T0 });
    expect(runTx(w, { uri: '/b' }, { now: T0 }).tx.collection('RESOURCE')!.first('hits')).toBe('1');
  });

  test('a literal key in quotes', () => {
    const r = runTx(waf(`SecAction "id:1,phase:1,pass,nolog,setrsc:'abcd1234'"`), {}, { now: T0 });
    expect(r.tx.collection('RESOURCE')!.first('KEY')).toBe('abcd1234');
    expect(r.tx.collection('RESOURCE')!.first('IS_NEW')).toBe('1');
  });
});
