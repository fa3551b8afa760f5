import { BodyBuffer } from '../../src/body';

describe('BodyBuffer', () => {
  it('joins latin1 strings and byte chunks once', () => {
    const b = new BodyBuffer({ limit: 100 });
    expect(b.append('ab')).toBe(true);
    expect(b.append(Uint8Array.from([0xff, 0x00, 0x63]))).toBe(true);
    expect(b.append('')).toBe(true);
    expect(b.toLatin1()).toBe('ab\xff\x00c');
    expect(b.toLatin1()).toBe('ab\xff\x00c');
    expect(b.length).toBe(5);
    b.append('d');
    expect(b.toLatin1()).toBe('ab\xff\x00cd');
    expect(b.chunks()).toEqual(['ab\xff\x00cd']);
  });

  it('keeps the prefix up to the limit and reports that it was exceeded', () => {
    const b = new BodyBuffer({ limit: 5 });
    expect(b.append('abc')).toBe(true);
    expect(b.limitExceeded).toBe(false);
    expect(b.append('defg')).toBe(false);
    expect(b.append('h')).toBe(false);
    expect(b.toLatin1()).toBe('abcde');
    expect(b.limitExceeded).toBe(true);
    expect(b.receivedLength).toBe(8);
  });

  it('a limit of 0 means no limit, as in ModSecurity', () => {
    const b = new BodyBuffer({ limit: 0 });
    b.append('x'.repeat(1000));
    expect(b.limitExceeded).toBe(false);
    expect(b.length).toBe(1000);
  });

  it('a 50 MB body in 64 KiB chunks over a 13 MB limit: bounded, linear, prefix kept', () => {
    const limit = 13_107_200;
    const b = new BodyBuffer({ limit });
    const chunk = Buffer.alloc(65_536, 0x41);
    const started = Date.now();
    let accepted = 0;
    for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) if (b.append(chunk)) accepted++;
    const body = b.toLatin1();
    expect(Date.now() - started).toBeLessThan(15_000); // a hang guard, loose enough for a loaded CI machine
    expect(body.length).toBe(limit);
    expect(b.length).toBe(limit);
    expect(b.limitExceeded).toBe(true);
    expect(b.receivedLength).toBe(50 * 1024 * 1024);
    expect(accepted).toBe(Math.floor(limit / chunk.length));
    expect(body.charCodeAt(limit - 1)).toBe(0x41);
  });
});
