import { describe, it, expect } from 'vitest';
import { FixedWindowLimiter } from '../src/core/rateLimit.js';

describe('FixedWindowLimiter', () => {
  it('allows `limit` per aligned window, then refuses until the window ends', () => {
    let now = 60_000 * 1000 + 30_000; // half-way through a minute
    const rl = new FixedWindowLimiter(() => 3, 60_000, () => now);
    expect(rl.hit('a')).toMatchObject({ allowed: true, remaining: 2, resetAt: 60_000 * 1001, retryAfterSeconds: 30 });
    rl.hit('a');
    expect(rl.hit('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(rl.hit('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(rl.hit('b').allowed).toBe(true);
    now = 60_000 * 1001;
    expect(rl.hit('a')).toMatchObject({ allowed: true, remaining: 2, resetAt: 60_000 * 1002 });
  });
});
