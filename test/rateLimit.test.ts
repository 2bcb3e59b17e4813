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

  it('refusal() counts as hit() does and answers only refusals, with the same decision', () => {
    let now = 60_000 * 1000 + 30_000;
    const a = new FixedWindowLimiter(() => 3, 60_000, () => now);
    const b = new FixedWindowLimiter(() => 3, 60_000, () => now);
    for (let i = 0; i < 12; i++) {
      if (i === 5) now += 29_500;
      if (i === 8) now += 1_000; // the next window
      const d = a.hit(i % 4 === 3 ? 'other' : 'k');
      const r = b.refusal(i % 4 === 3 ? 'other' : 'k');
      expect(r, `request ${i}`).toEqual(d.allowed ? undefined : d);
    }
  });
});
