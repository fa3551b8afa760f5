import { run } from '../engine/helpers';

const rule = `SecRule REMOTE_USER "@rx ^" "id:1,phase:1,pass,log"`;
const auth = (...values: string[]): Array<[string, string]> => [['Host', 'h'], ...values.map((v): [string, string] => ['Authorization', v])];
const user = (headers: Array<[string, string]>): string | undefined => run(rule, { headers }).tx.vars.get('REMOTE_USER');

// libmodsecurity v3 (variables/remote_user.cc): the user part of the first Authorization header, when it is
// `Basic base64(user:password)`; nothing otherwise.
describe('REMOTE_USER', () => {
  it('is the user of a Basic Authorization header', () => {
    expect(user(auth(`Basic ${Buffer.from('Aladdin:OpenSesame').toString('base64')}`))).toBe('Aladdin');
    expect(run(rule, { headers: auth('Basic QWxhZGRpbjpPcGVuU2VzYW1l') }).matched).toEqual([1]);
  });

  it('is absent for other schemes, credentials without a colon, or without the header', () => {
    expect(user(auth('Bearer abc'))).toBeUndefined();
    expect(user(auth(`Basic ${Buffer.from('nocolon').toString('base64')}`))).toBeUndefined();
    expect(user([['Host', 'h']])).toBeUndefined();
  });

  it('only the first Authorization header counts', () => {
    expect(user(auth('Bearer x', `Basic ${Buffer.from('b:c').toString('base64')}`))).toBeUndefined();
    expect(user(auth(`Basic ${Buffer.from('a:1').toString('base64')}`, `Basic ${Buffer.from('b:2').toString('base64')}`))).toBe('a');
  });
});
