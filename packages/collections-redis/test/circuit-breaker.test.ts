import { CircuitBreaker } from '../src';

describe('CircuitBreaker', () => {
  let now = 0;
  const clock = (): number => now;

  test('opens after N failures in a row, lets one probe through after the reset time, closes on its success', () => {
    now = 0;
    const b = new CircuitBreaker(3, 1000, clock);
    b.failure();
    b.failure();
    expect(b.allows()).toBe(true);
    b.success();
    b.failure();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allows()).toBe(false);
    expect(b.retryInMs()).toBe(1000);
    now = 999;
    expect(b.allows()).toBe(false);
    now = 1000;
    expect(b.state).toBe('half-open');
    expect(b.allows()).toBe(true);
    // One probe at a time.
    expect(b.allows()).toBe(false);
    b.success();
    expect(b.state).toBe('closed');
    expect(b.allows()).toBe(true);
  });

  test('a failed probe opens the circuit for another period', () => {
    now = 0;
    const b = new CircuitBreaker(1, 500, clock);
    b.failure();
    now = 500;
    expect(b.allows()).toBe(true);
    b.failure();
    expect(b.allows()).toBe(false);
    now = 1000;
    expect(b.allows()).toBe(true);
  });

  test('refuses nonsense settings', () => {
    expect(() => new CircuitBreaker(0, 1)).toThrow(/threshold/);
    expect(() => new CircuitBreaker(1, -1)).toThrow(/reset time/);
  });
});
