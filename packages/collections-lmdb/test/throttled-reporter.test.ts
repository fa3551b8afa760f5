import { RampartError } from '@rampart/engine';
import { ThrottledReporter } from '../src/throttled-reporter';

describe('ThrottledReporter', () => {
  it('passes one error per code per interval and counts the ones held back', () => {
    let now = 0;
    const seen: string[] = [];
    const r = new ThrottledReporter((e) => seen.push(`${e.code}: ${e.message}`), 1000, () => now);
    r.report(new RampartError('a', 'first'));
    r.report(new RampartError('a', 'second'));
    r.report(new RampartError('b', 'other code'));
    now = 999;
    r.report(new RampartError('a', 'third'));
    now = 1000;
    r.report(new RampartError('a', 'fourth'));
    now = 2500;
    r.report(new RampartError('a', 'fifth'));
    expect(seen).toEqual([
      'a: first',
      'b: other code',
      'a: fourth (2 more since the last report)',
      'a: fifth',
    ]);
  });
});
