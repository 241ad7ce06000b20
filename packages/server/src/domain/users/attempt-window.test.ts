import { describe, expect, it } from 'vitest';
import { createAttemptWindow } from './attempt-window.js';

describe('attempt window', () => {
  it('allows `limit` attempts per key per window, then answers the seconds left, and forgets after the window', () => {
    let now = 1_000_000;
    const window = createAttemptWindow({ limit: 2, windowMs: 60_000, clock: { now: () => now } });
    expect(window.take('a')).toBeNull();
    expect(window.take('a')).toBeNull();
    expect(window.take('b')).toBeNull();
    now += 15_000;
    expect(window.take('a')).toBe(45);
    expect(window.take('c', 1)).toBeNull();
    expect(window.take('c', 1)).toBe(60);
    now += 45_000;
    expect(window.take('a')).toBeNull();
  });
});
